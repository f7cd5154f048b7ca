// Answers that mean "try again soon" (docs/protocol.md §3.2): `draining` (a deploy: this
// server process is going away, another takes over) and `temporarily_unavailable` (Redis
// or the database is away for a moment). The widget retries them quietly with a bounded
// backoff, so a visitor never sees a generic failure during a deploy.
const DELAYS_MS = [1000, 2000, 4000, 8000, 8000];

// The delay before retry number `attempt + 1`, or null: not retryable, or tried enough.
export function retryDelay(ack, attempt) {
  if (ack.ok || !ack.error || !isRetryable(ack.error.code)) return null;
  return attempt < DELAYS_MS.length ? DELAYS_MS[attempt] : null;
}

export function isRetryable(code) {
  return code === "draining" || code === "temporarily_unavailable";
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
