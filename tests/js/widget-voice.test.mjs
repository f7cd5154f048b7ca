// Issue 17's pure rules in the widget: the safety check's answers (safetycheck.js), which
// endings ask for feedback and what feedback:send carries (feedback.js), and the message
// box's code normalisation and error texts (messagebox.js), in Dutch and English.
import assert from "node:assert/strict";
import { test } from "node:test";

import { asksFeedback, feedbackPayload } from "../../widget/src/feedback.js";
import en from "../../widget/src/i18n/en.js";
import nl from "../../widget/src/i18n/nl.js";
import { errorText, normalizeCode } from "../../widget/src/messagebox.js";
import { needsTips, safetyField } from "../../widget/src/safetycheck.js";

test("only 'not sure' and 'not safe' show the tips; a skip and 'safe' start at once", () => {
  assert.deepEqual(["safe", "unsure", "unsafe", undefined, "other"].map(needsTips), [false, true, true, false, false]);
});

test("chat:request carries a known safety answer and leaves out a skip or anything else", () => {
  assert.deepEqual(["safe", "unsure", "unsafe", undefined, "", "SAFE", null].map(safetyField), [
    "safe", "unsure", "unsafe", undefined, undefined, undefined, undefined,
  ]);
});

test("feedback is asked after the visitor's or the expert's end of a chat an expert had", () => {
  assert.equal(asksFeedback(true, "visitor"), true);
  assert.equal(asksFeedback(true, "expert"), true);
});

test("no feedback when the system ended it, or when no expert ever took the chat", () => {
  assert.equal(asksFeedback(true, "system"), false);
  assert.equal(asksFeedback(true, undefined), false);
  assert.equal(asksFeedback(false, "visitor"), false);
  assert.equal(asksFeedback(false, "expert"), false);
  assert.equal(asksFeedback(undefined, "expert"), false);
});

test("feedback:send carries only what was answered, as the server's types", () => {
  assert.deepEqual(feedbackPayload({ mark: "8", helped: "a_bit", recommend: "yes" }), {
    mark: 8,
    helped: "a_bit",
    recommend: "yes",
  });
  assert.deepEqual(feedbackPayload({ mark: "10" }), { mark: 10 });
  assert.deepEqual(feedbackPayload({}), {});
});

test("feedback:send never carries a mark outside 1-10 or an unknown answer", () => {
  assert.deepEqual(feedbackPayload({ mark: "0", helped: "maybe", recommend: "a_bit" }), {});
  assert.deepEqual(feedbackPayload({ mark: "11" }), {});
  assert.deepEqual(feedbackPayload({ mark: "7.5" }), {});
});

test("a code is read in any case and spacing", () => {
  const code = "appel-brug-kaars-molen-vos-417";
  for (const typed of [code, "Appel Brug Kaars Molen Vos 417", "  APPEL-brug  kaars--molen vos-417 ", "appel_brug.kaars molen\tvos 417"]) {
    assert.equal(normalizeCode(typed), code, typed);
  }
  assert.equal(normalizeCode("   "), "");
  assert.equal(normalizeCode(undefined), "");
});

test("a refusal reads as the issue says, in both languages", () => {
  assert.equal(
    errorText(nl, { code: "not_found" }),
    "We vinden geen bericht met deze code. Controleer de code; na 14 dagen of na sluiten is een bericht gewist.",
  );
  assert.equal(errorText(nl, { code: "rate_limited" }), "Te veel pogingen. Probeer het later opnieuw.");
  assert.equal(errorText(en, { code: "rate_limited" }), "Too many attempts. Please try again later.");
  assert.match(errorText(en, { code: "unavailable" }), /try again in a few minutes/);
  assert.equal(errorText(nl, { code: "internal" }), nl.boxErrors.other);
  assert.equal(errorText(nl, undefined), nl.boxErrors.other);
});

test("an invalid field shows a message at that field only, in the visitor's language", () => {
  const error = { code: "invalid", message: "Invalid body", fields: { body: "Invalid body: too long." } };
  assert.equal(errorText(nl, error, "body"), "Je bericht mag niet leeg zijn en hooguit 2000 tekens hebben.");
  assert.equal(errorText(en, error, "body"), "Your message cannot be empty and may have at most 2000 characters.");
  assert.equal(errorText(nl, error, "code"), nl.boxErrors.other);
  assert.equal(errorText(nl, { code: "invalid", fields: { lang: "Invalid lang" } }, "lang"), "Invalid lang");
  assert.equal(errorText(nl, { code: "invalid", fields: { body: 3 } }, "body"), nl.boxErrors.other);
});

test("every new text exists in both languages, with the same shape", () => {
  const keys = Object.keys(nl).filter((key) => /^(safety|feedback|box)/.test(key));
  assert.ok(keys.length > 30);
  for (const key of keys) {
    assert.equal(typeof en[key], typeof nl[key], key);
    if (typeof nl[key] === "object") assert.deepEqual(Object.keys(en[key]), Object.keys(nl[key]), key);
  }
  assert.equal(nl.safetyQuestion, "Kun je nu veilig chatten? Kan er iemand meekijken?");
  assert.equal(en.safetyQuestion, "Can you chat safely right now? Could someone be looking over your shoulder?");
  assert.equal(nl.feedbackMark, "Welk rapportcijfer geef je dit gesprek?");
  assert.equal(nl.boxLeave, "Laat een bericht achter");
  assert.equal(nl.boxHaveCode, "Ik heb een code");
  assert.equal(en.boxHaveCode, "I have a code");
  assert.equal(nl.boxCloseThread, "Gesprek sluiten en wissen");
});
