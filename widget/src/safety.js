// Escape twice within a second is the quick exit; it works wherever the focus is (also in
// the message field), because it listens on the window before anything else sees the key.
// A single Escape never destroys anything: it only hides the panel.
const WINDOW_MS = 1000;

export function watchEscape(onTwice, onOnce) {
  let last = -Infinity;
  const onKey = (event) => {
    if (event.key !== "Escape") return;
    const now = performance.now();
    if (now - last <= WINDOW_MS) {
      event.preventDefault();
      last = -Infinity;
      onTwice();
    } else {
      last = now;
      onOnce();
    }
  };
  window.addEventListener("keydown", onKey, true);
  return () => window.removeEventListener("keydown", onKey, true);
}
