// Issue 17 in the console (chatserver/static/console/messagebox.js and chats.js): how long
// a left message has waited, and the visitor's safety answer in the chat header.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

const TEXTS = {
  "chatbox.age.m": "{n} min",
  "chatbox.age.h": "{n} u",
  "chatbox.age.d": "{n} d",
  "chat.safety.safe": "Bezoeker: kan veilig chatten",
  "chat.safety.unsure": "Bezoeker: niet zeker of het veilig is",
  "chat.safety.unsafe": "Bezoeker: niet veilig om te chatten",
  "chat.safety.hint": "Houd het kort.",
};
globalThis.document = fakeDocument({
  byId: {
    "console-texts": JSON.stringify(TEXTS),
    "console-labels": "{}",
    console: Object.assign(new FakeElement("main"), { dataset: { userId: "1" } }),
    mute: new FakeElement("input"),
  },
  bySelector: { 'meta[name="csrf-token"]': Object.assign(new FakeElement("meta"), { content: "t" }) },
});
// registrations.js (imported through messagebox.js) wires its form on import: any other
// element the modules ask for is a blank one.
const known = globalThis.document.getElementById;
const blanks = new Map();
globalThis.document.getElementById = (id) => known(id) || blanks.get(id) || blanks.set(id, new FakeElement("div")).get(id);
globalThis.window = new FakeElement("window");
globalThis.io = () => ({ on: () => {} });
globalThis.localStorage = { getItem: () => null, setItem: () => {} };
const { ageText } = await import("../../chatserver/static/console/messagebox.js");
const { showSafety } = await import("../../chatserver/static/console/chats.js");

const NOW = Date.parse("2026-12-04T12:00:00Z");

test("a waiting message's age: minutes, then hours up to two days, then days", () => {
  const since = (minutes) => new Date(NOW - minutes * 60000).toISOString();
  assert.deepEqual([0, 59, 60, 179, 47 * 60 + 59, 48 * 60, 10 * 24 * 60].map((m) => ageText(since(m), NOW)), [
    "0 min", "59 min", "1 u", "2 u", "47 u", "2 d", "10 d",
  ]);
});

test("a time in the future (clock skew) reads as 0 min, an unreadable one as nothing", () => {
  assert.equal(ageText("2026-12-04T12:05:00Z", NOW), "0 min");
  assert.equal(ageText("not a date", NOW), "");
});

function panel() {
  const line = new FakeElement("p");
  const node = new FakeElement("div");
  node.querySelector = (selector) => (selector === ".chat-safety" ? line : null);
  return { node, line };
}

test("the header says what the visitor answered; unsure and unsafe are marked with the hint", () => {
  const { node, line } = panel();
  showSafety(node, "safe");
  assert.equal(line.textContent, "Bezoeker: kan veilig chatten");
  assert.equal(line.className, "chat-safety");
  assert.equal(line.hidden, false);
  showSafety(node, "unsure");
  assert.equal(line.textContent, "Bezoeker: niet zeker of het veilig is Houd het kort.");
  assert.equal(line.className, "chat-safety at-risk");
  showSafety(node, "unsafe");
  assert.match(line.textContent, /^Bezoeker: niet veilig om te chatten/);
  assert.equal(line.className, "chat-safety at-risk");
});

test("no answer (skipped, or an older server) shows nothing", () => {
  const { node, line } = panel();
  for (const safety of [null, undefined, "maybe"]) {
    showSafety(node, safety);
    assert.equal(line.hidden, true);
    assert.equal(line.textContent, "");
  }
});
