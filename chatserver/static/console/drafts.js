// Unsent drafts per chat, kept in this tab's sessionStorage so a reload of the console
// keeps what the expert was typing. Gone when the chat ends, leaves this expert, or the
// expert signs out (and with the tab). The widget stores nothing; this is the console.

const PREFIX = "nabij.console.draft.";

function storage() {
  try {
    return window.sessionStorage;
  } catch (_) {
    return null; // storage blocked: drafts live only as long as the page
  }
}

export function loadDraft(conversationId) {
  const store = storage();
  return (store && store.getItem(PREFIX + conversationId)) || "";
}

export function saveDraft(conversationId, text) {
  const store = storage();
  if (!store) return;
  try {
    if (text) store.setItem(PREFIX + conversationId, text);
    else store.removeItem(PREFIX + conversationId);
  } catch (_) {
    // Quota: the draft stays in the field only.
  }
}

export function clearDraft(conversationId) {
  saveDraft(conversationId, "");
}

/** Forget every draft but those of `keep` (conversation ids), e.g. after a resync. */
export function clearDrafts(keep = new Set()) {
  const store = storage();
  if (!store) return;
  const keys = [];
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (key && key.startsWith(PREFIX) && !keep.has(key.slice(PREFIX.length))) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}

// Signing out (the header's form) forgets every draft of this tab.
const logout = document.querySelector('form[action^="/logout"]');
if (logout) logout.addEventListener("submit", () => clearDrafts());
