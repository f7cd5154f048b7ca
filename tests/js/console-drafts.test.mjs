// The console's unsent drafts (chatserver/static/console/drafts.js): per chat in this
// tab's sessionStorage, gone on sign-out; blocked or full storage never breaks typing.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

/** sessionStorage as the browser has it (insertion-ordered keys). */
class FakeStorage {
  constructor() {
    this.items = new Map();
    this.full = false;
  }
  get length() {
    return this.items.size;
  }
  key(i) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    if (this.full) throw new Error("QuotaExceededError");
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

const logout = new FakeElement("form");
globalThis.document = fakeDocument({ bySelector: { 'form[action^="/logout"]': logout } });
let storage = new FakeStorage();
let blocked = false;
globalThis.window = {
  get sessionStorage() {
    if (blocked) throw new Error("SecurityError");
    return storage;
  },
};
const { clearDraft, clearDrafts, loadDraft, saveDraft } = await import("../../chatserver/static/console/drafts.js");

beforeEach(() => {
  storage = new FakeStorage();
  blocked = false;
});

test("a draft is kept per chat and read back", () => {
  saveDraft("c1", "Hoi, ik");
  saveDraft("c2", "Tot morgen");
  assert.equal(loadDraft("c1"), "Hoi, ik");
  assert.equal(loadDraft("c2"), "Tot morgen");
  assert.equal(loadDraft("c3"), "");
  assert.deepEqual([...storage.items.keys()], ["nabij.console.draft.c1", "nabij.console.draft.c2"]);
});

test("an emptied field or clearDraft removes the entry instead of storing an empty one", () => {
  saveDraft("c1", "x");
  saveDraft("c1", "");
  assert.equal(storage.length, 0);
  saveDraft("c2", "y");
  clearDraft("c2");
  assert.equal(storage.length, 0);
});

test("clearDrafts forgets every draft but the kept chats' and leaves other keys alone", () => {
  storage.setItem("nabij.console.mute", "1");
  for (const id of ["a", "b", "c"]) saveDraft(id, `draft ${id}`);
  clearDrafts(new Set(["b"]));
  assert.deepEqual([...storage.items.keys()], ["nabij.console.mute", "nabij.console.draft.b"]);
  clearDrafts();
  assert.deepEqual([...storage.items.keys()], ["nabij.console.mute"]);
});

test("signing out forgets every draft of the tab", () => {
  saveDraft("c1", "geheim");
  assert.deepEqual(logout.listeners.map((entry) => entry.type), ["submit"]);
  logout.dispatch("submit");
  assert.equal(loadDraft("c1"), "");
  assert.equal(storage.length, 0);
});

test("blocked storage: nothing is kept, nothing throws", () => {
  blocked = true;
  assert.doesNotThrow(() => saveDraft("c1", "x"));
  assert.equal(loadDraft("c1"), "");
  assert.doesNotThrow(() => clearDrafts());
});

test("full storage: the draft stays in the field only, nothing throws", () => {
  saveDraft("c1", "eerst");
  storage.full = true;
  assert.doesNotThrow(() => saveDraft("c1", "langer"));
  assert.equal(loadDraft("c1"), "eerst");
  saveDraft("c1", ""); // removing still works on a full storage
  assert.equal(loadDraft("c1"), "");
});
