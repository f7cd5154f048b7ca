// The widget's dates and times (widget/src/format.js): always in the team's time zone,
// Europe/Amsterdam, whatever the device's zone, also on the nights the clocks change.
import assert from "node:assert/strict";
import { test } from "node:test";

import { formatHours, formatOpening, formatTime, waitText } from "../../widget/src/format.js";
import en from "../../widget/src/i18n/en.js";
import nl from "../../widget/src/i18n/nl.js";

// The tests' own zone must not matter: run them as if on a device far from Amsterdam.
process.env.TZ = "America/Los_Angeles";

test("an opening reads as a Dutch or English day and time", () => {
  assert.equal(formatOpening("2026-11-23T18:00:00Z", nl), "maandag 23 november om 19:00");
  assert.equal(formatOpening("2026-11-23T18:00:00+00:00", en), "Monday 23 November at 19:00");
});

test("summer time starts: 01:59 winter time is followed by 03:00 summer time", () => {
  assert.equal(formatOpening("2026-03-29T00:59:00Z", nl), "zondag 29 maart om 01:59");
  assert.equal(formatOpening("2026-03-29T01:00:00Z", nl), "zondag 29 maart om 03:00");
  assert.equal(formatTime("2026-07-01T20:00:00Z", nl), "22:00");
});

test("summer time ends: 02:30 happens twice, first in summer time, then in winter time", () => {
  assert.equal(formatTime("2026-10-25T00:30:00Z", nl), "02:30");
  assert.equal(formatTime("2026-10-25T01:30:00Z", nl), "02:30");
  assert.equal(formatTime("2026-10-25T02:30:00Z", nl), "03:30");
});

test("a time late in the evening UTC is the next day in Amsterdam", () => {
  assert.equal(formatOpening("2026-12-31T23:30:00Z", nl), "vrijdag 1 januari om 00:30");
  assert.equal(formatTime("2026-12-31T23:30:00Z", en), "00:30");
});

test("a missing or unreadable time gives null, never 'Invalid Date'", () => {
  for (const iso of [undefined, null, "", 0, 1700000000000, "morgen", "2026-13-45T99:00:00Z"]) {
    assert.equal(formatOpening(iso, nl), null, String(iso));
    assert.equal(formatTime(iso, nl), null, String(iso));
  }
});

test("opening hours are short, without the abbreviation's dot, across midnight and DST", () => {
  const night = { starts_at: "2026-03-28T18:00:00Z", ends_at: "2026-03-29T02:00:00Z" };
  assert.equal(formatHours(night, nl), "za 28 mrt 19:00–04:00");
  assert.equal(formatHours(night, en), "Sat 28 Mar 19:00–04:00");
  assert.equal(formatHours({ starts_at: "2026-09-01T18:00:00Z", ends_at: "2026-09-01T20:00:00Z" }, nl), "di 1 sep 20:00–22:00");
});

test("opening hours without a start or an end give null", () => {
  for (const window of [undefined, null, {}, { starts_at: "2026-09-01T18:00:00Z" }, { ends_at: "2026-09-01T20:00:00Z" },
    { starts_at: null, ends_at: null }, { starts_at: 0, ends_at: 3600000 },
    { starts_at: "x", ends_at: "2026-09-01T20:00:00Z" }]) {
    assert.equal(formatHours(window, nl), null, JSON.stringify(window));
  }
});

test("the wait sentence takes the server's range, or is empty without an estimate", () => {
  const calls = [];
  const text = { wait: (low, high) => (calls.push([low, high]), `${low}-${high}`) };
  assert.equal(waitText([5, 15], text), "5-15");
  assert.equal(waitText([60, null], text), "60-null");
  assert.equal(waitText([60], text), "60-null");
  assert.equal(waitText([5, 7.5], text), "5-null");
  for (const range of [undefined, null, [], [null, 5], ["5", 10], [1.5, 3], "5-10", { 0: 5 }]) {
    assert.equal(waitText(range, text), "", JSON.stringify(range));
  }
  assert.deepEqual(calls, [[5, 15], [60, null], [60, null], [5, null]]);
  assert.match(waitText([0, 10], nl), /10 minuten/);
});
