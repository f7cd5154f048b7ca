// The staff pages' day arithmetic and labels (chatserver/static/console/page.js): local
// days "YYYY-MM-DD" computed in UTC, so the nights the clocks change never shift a day.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

const TEXTS = {
  "day.sun": "zo", "day.mon": "ma", "day.tue": "di", "day.wed": "wo", "day.thu": "do", "day.fri": "vr",
  "day.sat": "za", "roster.next_day": "(volgende dag)",
};
const csrf = Object.assign(new FakeElement("meta"), { content: "t" });
const status = new FakeElement("p");
globalThis.document = fakeDocument({
  byId: { "page-texts": JSON.stringify(TEXTS), "page-data": '{"today": "2026-03-29"}', status },
  bySelector: { 'meta[name="csrf-token"]': csrf },
  lang: "nl",
});
globalThis.Option = class extends FakeElement {
  constructor(text, value) {
    super("option");
    Object.assign(this, { text, value });
  }
};
// A device on the other side of the world: the labels must still be the local day's.
process.env.TZ = "Pacific/Pago_Pago";
const page = await import("../../chatserver/static/console/page.js");

test("the page's texts and data come from its JSON script elements", () => {
  assert.equal(page.T["day.mon"], "ma");
  assert.deepEqual(page.DATA, { today: "2026-03-29" });
  assert.equal(page.LANG, "nl");
});

test("addDays crosses months, years, leap days and both clock changes", () => {
  assert.equal(page.addDays("2026-03-28", 1), "2026-03-29");
  assert.equal(page.addDays("2026-03-29", 1), "2026-03-30");
  assert.equal(page.addDays("2026-10-25", 1), "2026-10-26");
  assert.equal(page.addDays("2026-10-25", -1), "2026-10-24");
  assert.equal(page.addDays("2026-12-31", 1), "2027-01-01");
  assert.equal(page.addDays("2028-02-28", 1), "2028-02-29");
  assert.equal(page.addDays("2027-02-28", 1), "2027-03-01");
  assert.equal(page.addDays("2026-01-31", 28), "2026-02-28");
  assert.equal(page.addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(page.addDays("2026-05-05", 0), "2026-05-05");
});

test("weekdays and the Monday of a week, also for a Sunday and across a year", () => {
  assert.equal(page.weekdayCode("2026-03-29"), "sun");
  assert.equal(page.weekdayCode("2026-03-30"), "mon");
  assert.equal(page.mondayOf("2026-03-29"), "2026-03-23"); // a Sunday belongs to the week before
  assert.equal(page.mondayOf("2026-03-30"), "2026-03-30");
  assert.equal(page.mondayOf("2027-01-01"), "2026-12-28");
});

test("a day label is the short weekday, the day and the month without its dot", () => {
  assert.equal(page.dayLabel("2026-03-29"), "zo 29 mrt");
  assert.equal(page.dayLabel("2026-11-24"), "di 24 nov");
  assert.equal(page.dayLabel("2026-09-01"), "di 1 sep");
});

test("a time range says when it ends the next day", () => {
  assert.equal(page.timeRange("2026-11-24T19:00:00+01:00", "2026-11-24T22:00:00+01:00"), "19:00–22:00");
  assert.equal(page.timeRange("2026-03-28T22:00:00+01:00", "2026-03-29T03:00:00+02:00"), "22:00–03:00 (volgende dag)");
  assert.equal(page.timeRange("2026-12-31T22:00:00+01:00", "2027-01-01T02:00:00+01:00"), "22:00–02:00 (volgende dag)");
});

test("a shift label is its local day and its local hours", () => {
  const shift = { starts_local: "2026-10-24T23:00:00+02:00", ends_local: "2026-10-25T02:00:00+01:00" };
  assert.equal(page.shiftLabel(shift), "za 24 okt 23:00–02:00 (volgende dag)");
});

test("say shows a message by id or element and marks an error", () => {
  page.say("status", "Opgeslagen");
  assert.deepEqual([status.textContent, status.classList.contains("error")], ["Opgeslagen", false]);
  page.say(status, "Mislukt", true);
  assert.deepEqual([status.textContent, status.classList.contains("error")], ["Mislukt", true]);
  page.say(status, "Weer goed");
  assert.equal(status.classList.contains("error"), false);
});

test("fillList shows the empty text as one item when there is nothing", () => {
  const list = new FakeElement("ul");
  page.fillList(list, [], (item) => page.el("li", {}, item), "Niets gepland");
  assert.deepEqual(list.children.map((li) => [li.textContent, li.className]), [["Niets gepland", "empty"]]);
  page.fillList(list, ["a", "b"], (item) => page.el("li", {}, item), "Niets gepland");
  assert.deepEqual(list.children.map((li) => li.textContent), ["a", "b"]);
});

test("fillSelect keeps the chosen value while it is still an option", () => {
  const select = new FakeElement("select");
  Object.defineProperty(select, "options", { get: () => select.children });
  page.fillSelect(select, [{ value: 1, text: "Sam" }, { value: 2, text: "Alex" }], "— kies —");
  assert.deepEqual(select.options.map((o) => [o.value, o.text]), [["", "— kies —"], ["1", "Sam"], ["2", "Alex"]]);
  select.value = "2";
  page.fillSelect(select, [{ value: 2, text: "Alex" }, { value: 3, text: "Kim" }], null);
  assert.deepEqual(select.options.map((o) => o.value), ["2", "3"]);
  assert.equal(select.value, "2");
});
