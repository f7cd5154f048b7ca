// Can one chat now? GET /api/status (and a `closed` refusal of chat:request) tell four
// states apart (docs/protocol.md): open, busy (everyone at capacity: the queue),
// unstaffed (within the hours, nobody free) and closed (outside the hours).
const STATES = ["open", "busy", "unstaffed", "closed"];

// Nothing known yet: the launcher says nothing and chat:request will tell.
export const UNKNOWN = { state: null, next: null, until: null, waiting: 0, wait: null };

// The states in which a chat cannot start: the panel shows the closed view.
export const NO_CHAT = new Set(["unstaffed", "closed"]);

// The status (or a refusal) as the widget keeps it; an older server sends only `open`.
export function opening(status) {
  const fallback = status.ok !== false && status.open ? "open" : "closed";
  return {
    state: STATES.includes(status.state) ? status.state : fallback,
    next: status.next_opening || null,
    until: status.open_until || null,
    waiting: Number.isInteger(status.queue_length) ? status.queue_length : 0,
    wait: status.wait_range_min || null,
  };
}

export function launcherText(t, state) {
  const texts = {
    open: t.launcherOpen,
    busy: t.launcherBusy,
    unstaffed: t.launcherUnstaffed,
    closed: t.launcherClosed,
  };
  return texts[state] || "";
}
