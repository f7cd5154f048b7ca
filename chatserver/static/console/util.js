// Nabij staff console: small helpers shared by the modules (texts, elements, fetch).

export const $ = (id) => document.getElementById(id);
export const T = JSON.parse($("console-texts").textContent);
export const LABELS = JSON.parse($("console-labels").textContent);
export const ME = Number($("console").dataset.userId);
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

export function fmt(key, values = {}) {
  return (T[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

export function notice(text) {
  $("notice").textContent = text;
}

export function errorText(ack) {
  const code = ack && ack.error ? ack.error.code : "";
  return T["error." + code] || T.error;
}

export function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

export function timeOf(iso) {
  const date = new Date(iso);
  return date.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
}

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
  const response = await fetch(url, options);
  if (response.status === 401) location.assign("/login");
  let data = {};
  try {
    data = await response.json();
  } catch (_) {
    data = { ok: false, error: { code: "internal" } };
  }
  return data;
}
