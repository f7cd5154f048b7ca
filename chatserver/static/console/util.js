// Nabij staff console: small helpers shared by the modules (texts, elements, fetch).

import { $, api, el, formatter } from "./base.js";

export { $, api, el };

export const T = JSON.parse($("console-texts").textContent);
export const LABELS = JSON.parse($("console-labels").textContent);
export const ME = Number($("console").dataset.userId);

export const fmt = formatter(T);

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
