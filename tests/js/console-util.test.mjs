// The chat console's helpers (chatserver/static/console/util.js): error texts for an ack,
// short chat numbers, clock times in the team's zone (whatever the browser's), the status line.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

const TEXTS = { error: "Er ging iets mis.", "error.rate_limited": "Even rustig aan." };
const console_ = Object.assign(new FakeElement("main"), {
  dataset: { userId: "42", timezone: "Europe/Amsterdam" },
});
const line = new FakeElement("p");
globalThis.document = fakeDocument({
  byId: { "console-texts": JSON.stringify(TEXTS), "console-labels": '{"audience": []}', console: console_, notice: line },
  bySelector: { 'meta[name="csrf-token"]': Object.assign(new FakeElement("meta"), { content: "t" }) },
  lang: "nl",
});
globalThis.window = globalThis;
process.env.TZ = "America/New_York"; // a browser elsewhere: the team's zone still counts
const util = await import("../../chatserver/static/console/util.js");

test("the console's texts, labels and own user id come from the page", () => {
  assert.equal(util.T.error, "Er ging iets mis.");
  assert.deepEqual(util.LABELS, { audience: [] });
  assert.equal(util.ME, 42);
});

test("an ack's error code picks its text; an unknown or missing one the general text", () => {
  assert.equal(util.errorText({ ok: false, error: { code: "rate_limited" } }), "Even rustig aan.");
  for (const ack of [{ ok: false, error: { code: "nieuw" } }, { ok: false }, null, undefined]) {
    assert.equal(util.errorText(ack), "Er ging iets mis.", JSON.stringify(ack));
  }
});

test("a short number is three digits from the id's first six hex digits", () => {
  assert.equal(util.shortNumber("0001a2ff-0000-4000-8000-000000000000"), "#418");
  assert.equal(util.shortNumber("000000aa-bbbb"), "#000");
  assert.equal(util.shortNumber("ffffffff"), "#215");
  assert.equal(util.shortNumber("000007"), "#007");
});

test("clock times are in the team's zone, across both clock changes", () => {
  assert.equal(util.timeOf("2026-03-29T00:59:00Z"), "01:59");
  assert.equal(util.timeOf("2026-03-29T01:00:00Z"), "03:00");
  assert.equal(util.timeOf("2026-10-25T00:30:00Z"), "02:30");
  assert.equal(util.timeOf("2026-10-25T01:30:00Z"), "02:30");
  assert.equal(util.timeOf("2026-10-25T02:30:00Z"), "03:30");
});

test("today is the team's date: 23:30 UTC on 31 December is already New Year in Amsterdam", () => {
  assert.equal(util.teamToday(new Date("2026-12-31T23:30:00Z")), "2027-01-01");
  assert.equal(util.teamToday(new Date("2026-12-31T22:30:00Z")), "2026-12-31");
});

test("new ids are unique and never empty", () => {
  const ids = new Set(Array.from({ length: 100 }, () => util.newId()));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-z-]{8,}$/);
});

test("a notice fades after ten seconds, a sticky one stays, a newer one replaces it", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  util.notice("Verbonden");
  t.mock.timers.tick(9999);
  assert.equal(line.textContent, "Verbonden");
  util.notice("Chat beëindigd"); // replaces, and its own ten seconds start now
  t.mock.timers.tick(9999);
  assert.equal(line.textContent, "Chat beëindigd");
  t.mock.timers.tick(1);
  assert.equal(line.textContent, "");
  util.notice("Geen verbinding", { sticky: true });
  t.mock.timers.tick(60000);
  assert.equal(line.textContent, "Geen verbinding");
  line.dataset.ms = "50";
  util.notice("Kort");
  t.mock.timers.tick(50);
  assert.equal(line.textContent, "");
});
