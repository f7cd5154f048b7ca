// Styling without inline style attributes, so that a host's strict CSP (style-src 'self')
// does not break the widget: a constructed stylesheet adopted by the shadow root, and the
// host's colour as a custom property set through the CSSOM.

export function adoptStyles(root, cssText) {
  if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(cssText);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement("style"); // older browsers; needs a lax style-src
  style.textContent = cssText;
  root.append(style);
}

// The host's accent colour is the background of buttons and the header; its text colour
// is whichever of black and white contrasts more, so contrast holds for any choice.
export function applyAccent(host, root, accent) {
  if (!accent) return;
  const rgb = resolve(root, accent);
  if (!rgb) return;
  host.style.setProperty("--nabij-accent", accent);
  const light = contrast(luminance(rgb), 1) >= contrast(luminance(rgb), 0);
  host.style.setProperty("--nabij-on-accent", light ? "#ffffff" : "#000000");
}

function resolve(root, value) {
  const probe = document.createElement("span");
  probe.style.color = value;
  root.append(probe);
  const parts = getComputedStyle(probe).color.match(/[\d.]+/g);
  probe.remove();
  return parts && parts.length >= 3 ? parts.slice(0, 3).map(Number) : null;
}

function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a, b) {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
