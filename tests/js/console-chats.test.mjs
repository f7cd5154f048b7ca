// The chat console's labels and attention (chatserver/static/console/chats.js and
// attention.js): a tab names the audience, a short number and the start time; the title
// counts what is unseen; the mute switch survives a reload.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

const TEXTS = { "audience.victim": "Slachtoffer", "audience.relative": "Naaste", error: "Er ging iets mis." };
const mute = Object.assign(new FakeElement("input"), { checked: false });
const page = fakeDocument({
  byId: {
    "console-texts": JSON.stringify(TEXTS),
    "console-labels": "{}",
    console: Object.assign(new FakeElement("main"), { dataset: { userId: "1" } }),
    mute,
  },
  bySelector: { 'meta[name="csrf-token"]': Object.assign(new FakeElement("meta"), { content: "t" }) },
  title: "Nabij",
});
globalThis.document = page;
const saved = new Map([["nabij.console.mute", "1"]]);
globalThis.localStorage = { getItem: (key) => saved.get(key) ?? null, setItem: (key, value) => saved.set(key, value) };
globalThis.window = new FakeElement("window");
globalThis.io = () => ({ on: () => {} }); // the vendored Socket.IO client (a global script)
process.env.TZ = "Europe/Amsterdam";
const { chatLabel, unreadCount, chats } = await import("../../chatserver/static/console/chats.js");
const { attention, countUnreadWith, updateTitle } = await import("../../chatserver/static/console/attention.js");

test("a chat's label is its audience, short number and start time in the expert's zone", () => {
  const conv = { audience: "victim", conversation_id: "0001a2ff-0000-4000-8000-000000000000", requested_at: "2026-03-29T01:04:00Z" };
  assert.equal(chatLabel(conv), "Slachtoffer #418 · 03:04");
  assert.equal(chatLabel({ ...conv, audience: "relative", requested_at: "2026-10-25T01:30:00Z" }), "Naaste #418 · 02:30");
});

test("an audience without a text shows its code rather than nothing", () => {
  const conv = { audience: "professional", conversation_id: "000007aa", requested_at: "2026-06-01T10:00:00Z" };
  assert.equal(chatLabel(conv), "professional #007 · 12:00");
});

test("unread counts every unread message plus each chat not looked at yet", () => {
  chats.set("a", { unread: 2, fresh: false });
  chats.set("b", { unread: 0, fresh: true });
  chats.set("c", { unread: 1, fresh: true });
  assert.equal(unreadCount(), 5);
  chats.clear();
  assert.equal(unreadCount(), 0);
});

test("the title counts unread messages and what arrived while the tab was away", () => {
  let unread = 0;
  countUnreadWith(() => unread);
  updateTitle();
  assert.equal(page.title, "Nabij");
  unread = 2;
  updateTitle();
  assert.equal(page.title, "(2) Nabij");
  page.hidden = true;
  attention();
  attention();
  assert.equal(page.title, "(4) Nabij");
  page.hidden = false;
  page.dispatch("visibilitychange");
  assert.equal(page.title, "(2) Nabij");
  unread = 0;
  attention(); // seen in a visible, focused tab: nothing extra to count
  assert.equal(page.title, "Nabij");
});

test("the mute switch is read from and saved to localStorage", () => {
  assert.equal(mute.checked, true);
  mute.checked = false;
  mute.dispatch("change");
  assert.equal(saved.get("nabij.console.mute"), "0");
});
