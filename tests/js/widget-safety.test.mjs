// The quick exit's keyboard half (widget/src/safety.js): Escape twice within a second
// leaves, from anywhere on the page; a single Escape only hides the panel.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { FakeElement } from "./fakedom.mjs";

let now = 0;
Object.defineProperty(globalThis, "performance", { value: { now: () => now }, configurable: true });
const win = new FakeElement("window");
globalThis.window = win;
const { watchEscape } = await import("../../widget/src/safety.js");

/** Press a key at time `at` (ms); answers whether the widget called preventDefault. */
function press(key, at) {
  now = at;
  let prevented = false;
  win.dispatch("keydown", { key, preventDefault: () => { prevented = true; } });
  return prevented;
}

let calls;
beforeEach(() => {
  win.listeners = [];
  calls = [];
});

const watch = () => watchEscape(() => calls.push("twice"), () => calls.push("once"));

test("it listens on the window in the capture phase, before the page sees the key", () => {
  watch();
  assert.deepEqual(win.listeners.map(({ type, capture }) => [type, capture]), [["keydown", true]]);
});

test("two Escapes within a second are the quick exit; the second is not passed on", () => {
  watch();
  assert.equal(press("Escape", 5000), false);
  assert.equal(press("Escape", 5999), true);
  assert.deepEqual(calls, ["once", "twice"]);
});

test("exactly one second apart still counts, a moment later does not", () => {
  watch();
  press("Escape", 1000);
  press("Escape", 2000);
  press("Escape", 10000);
  press("Escape", 11001);
  assert.deepEqual(calls, ["once", "twice", "once", "once"]);
});

test("after a quick exit the next Escape starts over", () => {
  watch();
  press("Escape", 100);
  press("Escape", 200);
  press("Escape", 300);
  assert.deepEqual(calls, ["once", "twice", "once"]);
});

test("the very first Escape of a page is one press, even at time zero", () => {
  watch();
  press("Escape", 0);
  assert.deepEqual(calls, ["once"]);
});

test("other keys are ignored and do not reset the pair", () => {
  watch();
  press("Escape", 100);
  assert.equal(press("Enter", 150), false);
  press("Esc", 160);
  press("Escape", 200);
  assert.deepEqual(calls, ["once", "twice"]);
});

test("stopping removes exactly the listener it added", () => {
  const stop = watch();
  stop();
  assert.deepEqual(win.listeners, []);
  press("Escape", 100);
  assert.deepEqual(calls, []);
});
