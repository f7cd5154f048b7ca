// The widget's quiet retries (widget/src/retry.js): only "try again soon" answers, with a
// bounded backoff, so a deploy never shows a visitor a generic failure, and a real error
// is never retried.
import assert from "node:assert/strict";
import { test } from "node:test";

import { isRetryable, retryDelay, sleep } from "../../widget/src/retry.js";

const draining = { ok: false, error: { code: "draining" } };
const away = { ok: false, error: { code: "temporarily_unavailable" } };

test("draining and temporarily_unavailable back off 1, 2, 4, 8, 8 s, then stop", () => {
  for (const ack of [draining, away]) {
    const delays = Array.from({ length: 7 }, (_, attempt) => retryDelay(ack, attempt));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000, null, null]);
  }
});

test("a success, a real error or a malformed answer is never retried", () => {
  const answers = [
    { ok: true, seq: 3 },
    { ok: true, error: { code: "draining" } },
    { ok: false, error: { code: "rate_limited" } },
    { ok: false, error: { code: "unauthorized" } },
    { ok: false, error: {} },
    { ok: false },
  ];
  for (const ack of answers) assert.equal(retryDelay(ack, 0), null, JSON.stringify(ack));
});

test("only the two codes are retryable, exactly as spelled", () => {
  assert.equal(isRetryable("draining"), true);
  assert.equal(isRetryable("temporarily_unavailable"), true);
  for (const code of ["Draining", "internal", "", undefined, null]) assert.equal(isRetryable(code), false);
});

test("sleep waits the given time", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let done = false;
  const slept = sleep(1000).then(() => { done = true; });
  t.mock.timers.tick(999);
  await Promise.resolve();
  assert.equal(done, false);
  t.mock.timers.tick(1);
  await slept;
  assert.equal(done, true);
});
