// Nabij staff pages: the helpers every page module shares (elements, texts, the JSON API).
// Never parse markup: every value from the server is set with textContent, value or text.

export const $ = (id) => document.getElementById(id);
const CSRF = document.querySelector('meta[name="csrf-token"]').content;

export function el(tag, props = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  if (text) node.textContent = text;
  return node;
}

/** A formatter for a text catalogue: fmt("key", {name}) fills "{name}" in the text. */
export function formatter(texts) {
  return (key, values = {}) =>
    (texts[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** Call the JSON API; answers the parsed body plus `status` (never throws on HTTP errors). */
export async function api(method, url, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { "X-CSRF-Token": CSRF, Accept: "application/json" },
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (_) {
    return { ok: false, status: 0, error: { code: "network" } };
  }
  if (response.status === 401) location.assign("/login");
  let data;
  try {
    data = await response.json();
  } catch (_) {
    data = { ok: false, error: { code: "internal" } };
  }
  data.status = response.status;
  return data;
}
