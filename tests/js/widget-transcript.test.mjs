// The conversation as the widget shows it (widget/src/transcript.js): messages in seq
// order whatever order they arrive in, the visitor's own "sending" until the ack, a
// replayed twin removed, and the expert's name filled in once it is known.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

globalThis.document = fakeDocument();
const { Transcript } = await import("../../widget/src/transcript.js");
const { default: nl } = await import("../../widget/src/i18n/nl.js");

let log;
let transcript;
beforeEach(() => {
  log = new FakeElement("div");
  transcript = new Transcript(log, nl);
});

/** Each shown message as "who: text [status]" (or "who: text #seq" for the expert's). */
const shown = () =>
  log.children.map((el) => {
    const [who, text, meta] = el.children.map((child) => child.textContent);
    return `${who}: ${text}${meta ? ` [${meta}]` : ""}${el.dataset.seq ? ` #${el.dataset.seq}` : ""}`;
  });

const expert = (seq, body) => ({ seq, sender: "expert", body });

test("the visitor's message shows as sending, then delivered with its seq", () => {
  transcript.sent("c1", "Hallo");
  assert.deepEqual(shown(), [`${nl.you}: Hallo [${nl.sending}]`]);
  transcript.acked("c1", { ok: true, seq: 1 });
  assert.deepEqual(shown(), [`${nl.you}: Hallo [${nl.delivered}] #1`]);
  assert.equal(log.children[0].classList.contains("delivered"), true);
  assert.equal(log.children[0].classList.contains("mine"), true);
});

test("a refused message says not sent and stays, marked failed", () => {
  transcript.sent("c1", "Hallo");
  transcript.acked("c1", { ok: false, error: { code: "rate_limited" } });
  assert.deepEqual(shown(), [`${nl.you}: Hallo [${nl.notSent}]`]);
  assert.equal(log.children[0].classList.contains("failed"), true);
});

test("an ack for an unknown or already acked message changes nothing", () => {
  transcript.sent("c1", "Hallo");
  transcript.acked("c1", { ok: true, seq: 1 });
  const before = shown();
  transcript.acked("c1", { ok: false });
  transcript.acked("nope", { ok: true, seq: 9 });
  assert.deepEqual(shown(), before);
});

test("messages arriving out of order are shown in seq order", () => {
  transcript.received(expert(3, "drie"), "Sam");
  transcript.received(expert(1, "een"), "Sam");
  transcript.received({ seq: 2, sender: "visitor", body: "twee" }, "Sam");
  transcript.received(expert(10, "tien"), "Sam");
  assert.deepEqual(shown(), [
    "Sam: een #1",
    `${nl.you}: twee [${nl.delivered}] #2`,
    "Sam: drie #3",
    "Sam: tien #10",
  ]);
});

test("a message still sending stays below the ones the server already numbered", () => {
  transcript.sent("c1", "onderweg");
  transcript.received(expert(4, "vier"), "Sam");
  assert.deepEqual(shown(), ["Sam: vier #4", `${nl.you}: onderweg [${nl.sending}]`]);
});

test("after a reconnect the replayed copy of a sent message is not shown twice", () => {
  transcript.sent("c1", "Hallo");
  transcript.received({ seq: 5, sender: "visitor", body: "Hallo" }, "Sam"); // the replay
  transcript.acked("c1", { ok: true, seq: 5 });
  assert.deepEqual(shown(), [`${nl.you}: Hallo [${nl.delivered}] #5`]);
});

test("before the expert's name is known their messages say expert, then get the name", () => {
  transcript.received(expert(1, "een"), null);
  transcript.received(expert(2, "twee"), "");
  assert.deepEqual(shown(), [`${nl.expert}: een #1`, `${nl.expert}: twee #2`]);
  transcript.named("Sam");
  transcript.received(expert(3, "drie"), "Sam");
  transcript.named("Iemand anders"); // only the unnamed ones, once
  assert.deepEqual(shown(), ["Sam: een #1", "Sam: twee #2", "Sam: drie #3"]);
});

test("markup in a message is shown as text", () => {
  transcript.received(expert(1, "<img src=x onerror=alert(1)>"), "<b>Sam</b>");
  assert.deepEqual(shown(), ["<b>Sam</b>: <img src=x onerror=alert(1)> #1"]);
  assert.deepEqual(log.children[0].children.map((child) => child.children.length), [0, 0]);
});

test("clear empties the log and forgets pending and unnamed messages", () => {
  transcript.sent("c1", "Hallo");
  transcript.received(expert(1, "een"), null);
  transcript.clear();
  assert.deepEqual(shown(), []);
  transcript.acked("c1", { ok: true, seq: 2 });
  transcript.named("Sam");
  assert.deepEqual(shown(), []);
});

test("each new message scrolls the log to the bottom", () => {
  log.scrollHeight = 480;
  transcript.received(expert(1, "een"), "Sam");
  assert.equal(log.scrollTop, 480);
});
