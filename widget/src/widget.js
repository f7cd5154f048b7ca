// Nabij's chat widget. A host page embeds it with one script tag; the data attributes on
// that tag configure it (docs/widget.md), and its src tells where the Nabij server is.
import { HOST_ID, mount } from "./app.js";
import { readConfig } from "./config.js";

const script = document.currentScript || document.querySelector('script[src*="/widget/widget"]');

function start() {
  if (!script || document.getElementById(HOST_ID)) return;
  const config = readConfig(script);
  let widget = mount(config);
  // Back/forward cache: the page comes back as it was left; start again from what
  // sessionStorage still says (after a quick exit: nothing).
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    widget.destroy();
    widget = mount(config);
  });
}

if (document.body) start();
else document.addEventListener("DOMContentLoaded", start, { once: true });
