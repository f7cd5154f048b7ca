// The only thing the widget keeps in the browser: the resume token and whether the panel
// was open, in sessionStorage (gone when the tab closes). Never message content. Access
// can throw (storage disabled, sandboxed frames); the widget then simply cannot resume.
const KEY = "nabij.widget";

export function loadState() {
  try {
    const state = JSON.parse(sessionStorage.getItem(KEY) || "null");
    return state && typeof state.token === "string" ? state : null;
  } catch {
    return null;
  }
}

export function saveState(state) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ token: state.token, open: !!state.open }));
  } catch {
    /* storage unavailable: this conversation will not survive a reload */
  }
}

export function clearState() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
