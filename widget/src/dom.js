// The one way the widget makes DOM: text goes in through textContent, never as markup,
// so whatever an expert (or anyone) sends can only ever be shown as text.

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

export function show(el, visible) {
  el.hidden = !visible;
}

export function setText(el, text) {
  el.textContent = text || "";
  el.hidden = !text;
}
