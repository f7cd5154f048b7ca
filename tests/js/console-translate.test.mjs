// The staff pages' translation of API messages (chatserver/static/console/page.js
// `translate`, the same rule as chatserver/console/api_texts.py `translate`): exact
// texts first, then the longest template that fits with its values kept as sent.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

const TEXTS = {
  "common.error": "Er ging iets mis.",
  "api:required": "Verplicht.",
  "api:The shift no longer exists.": "Deze dienst bestaat niet meer.",
  "api~Not on {days}.": "Niet op {days}.",
  "api~Not on {days} and {n} more.": "Nog {n} meer, niet op {days}.",
  "api~Unknown code (use one of: {codes}).": "Onbekende code (kies uit: {codes}).",
};
globalThis.document = fakeDocument({
  byId: { "page-texts": JSON.stringify(TEXTS), "page-data": "{}" },
  bySelector: { 'meta[name="csrf-token"]': Object.assign(new FakeElement("meta"), { content: "t" }) },
});
const { answerError, translate } = await import("../../chatserver/static/console/page.js");

test("an exact text wins", () => {
  assert.equal(translate("required"), "Verplicht.");
  assert.equal(translate("The shift no longer exists."), "Deze dienst bestaat niet meer.");
});

test("a template keeps the values as sent, also when Dutch puts them in another order", () => {
  assert.equal(translate("Not on ma, di."), "Niet op ma, di.");
  assert.equal(translate("Not on ma and 3 more."), "Nog 3 meer, niet op ma.");
});

test("the template's punctuation is literal, not a pattern", () => {
  assert.equal(translate("Unknown code (use one of: a, b)."), "Onbekende code (kies uit: a, b).");
  assert.equal(translate("Unknown code Xuse one of: a, b)."), "Unknown code Xuse one of: a, b).");
  assert.equal(translate("Not on maX"), "Not on maX");
});

test("a value that looks like a replacement pattern is kept as sent", () => {
  assert.equal(translate("Not on $& and $1 more."), "Nog $1 meer, niet op $&.");
});

test("a message that fits nothing, or only part of a template, is shown as sent", () => {
  assert.equal(translate("Something new."), "Something new.");
  assert.equal(translate("Really: Not on ma."), "Really: Not on ma.");
  assert.equal(translate(""), "");
});

test("a refused call shows its field errors, else its message, else the general error", () => {
  const fields = { ok: false, error: { fields: { day: "required", end: "Not on zo." }, message: "Invalid." } };
  assert.equal(answerError(fields), "Verplicht. Niet op zo.");
  assert.equal(answerError({ ok: false, error: { message: "The shift no longer exists." } }), "Deze dienst bestaat niet meer.");
  assert.equal(answerError({ ok: false, error: { code: "network" } }), "Er ging iets mis.");
  assert.equal(answerError({ ok: false }), "Er ging iets mis.");
  assert.equal(answerError({ ok: false, error: { fields: {}, message: "New." } }), "New.");
});
