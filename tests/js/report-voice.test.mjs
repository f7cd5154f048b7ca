// The report page's figures of issue 17 (chatserver/static/reports/voice.js): counts under
// the small-number rule stay as the server sends them, means and shares below the
// threshold read "te weinig antwoorden", and the evaluation's figures sit beside ours.
import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.document = { getElementById: () => null };
const { pick, shown } = await import("../../chatserver/static/reports/voice.js");

const NL = { lang: "nl", tooFew: "te weinig antwoorden", minutes: "{n} min", reference: "{mark} (2018–2020, n = {n}); {mark_2020} in 2020" };
const EN = { ...NL, lang: "en", tooFew: "too few answers" };
const REFERENCE = { mean_mark_2018_2020: 8.4, answers_2018_2020: 51, mean_mark_2020: 8.1 };

test("a figure is found by its path, and a missing one is undefined", () => {
  const data = { feedback: { marks: { 8: 12, 3: "<5" }, mean_mark: null } };
  assert.equal(pick(data, "feedback.marks.8"), 12);
  assert.equal(pick(data, "feedback.marks.3"), "<5");
  assert.equal(pick(data, "feedback.mean_mark"), null);
  assert.equal(pick(data, "safety.unsafe"), undefined);
  assert.equal(pick({}, "feedback.marks.1"), undefined);
});

test("counts, shares, marks and minutes in Dutch and English", () => {
  assert.equal(shown(17, "count", NL), "17");
  assert.equal(shown("<5", "count", NL), "<5");
  assert.equal(shown(0.734, "share", NL), "73%");
  assert.equal(shown(8.25, "mark", NL), "8,3");
  assert.equal(shown(8.25, "mark", EN), "8.3");
  assert.equal(shown(95, "minutes", NL), "95 min");
});

test("below the threshold a mean or share reads 'too few answers'; an absent figure a dash", () => {
  assert.equal(shown(null, "mark", NL), "te weinig antwoorden");
  assert.equal(shown(null, "share", EN), "too few answers");
  assert.equal(shown(null, "minutes", NL), "te weinig antwoorden");
  assert.equal(shown(undefined, "share", NL), "–");
  assert.equal(shown(null, "count", NL), "–");
});

test("the evaluation's marks as the reference, with a decimal comma in Dutch", () => {
  assert.equal(shown(REFERENCE, "reference", NL), "8,4 (2018–2020, n = 51); 8,1 in 2020");
  assert.equal(shown(REFERENCE, "reference", EN), "8.4 (2018–2020, n = 51); 8.1 in 2020");
  assert.equal(shown(undefined, "reference", NL), "–");
});
