// Nabij staff console: small helpers shared by the modules (texts, elements, fetch).

import { $, api, el, formatter } from "./base.js";

export { $, api, el };

export const T = JSON.parse($("console-texts").textContent);
export const LABELS = JSON.parse($("console-labels").textContent);
export const ME = Number($("console").dataset.userId);
// The team's time zone (NABIJ_TIMEZONE): chat times read as the roster and the audit log
// do, whatever zone the browser is set to (undefined: the browser's, as a fallback).
export const TEAM_ZONE = $("console").dataset.timezone || undefined;

export const fmt = formatter(T);

/** How long a notice stays (ms): a stale one would read as news next to newer events. */
const NOTICE_MS = 10000;
let noticeTimer = null;

/** Say something in the status line; it replaces the last notice and fades unless sticky. */
export function notice(text, { sticky = false } = {}) {
  const line = $("notice");
  line.textContent = text;
  clearTimeout(noticeTimer);
  const stay = Number(line.dataset.ms) || NOTICE_MS; // data-ms: tests shorten the wait
  if (text && !sticky) noticeTimer = setTimeout(() => { line.textContent = ""; }, stay);
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
  const options = { hour: "2-digit", minute: "2-digit", timeZone: TEAM_ZONE };
  return date.toLocaleTimeString(document.documentElement.lang, options);
}

/** Today in the team's zone as YYYY-MM-DD: the default date of a contact registered by hand. */
export function teamToday(now = new Date()) {
  return now.toLocaleDateString("sv-SE", { timeZone: TEAM_ZONE });
}

/** "#417": a short number that tells two chats of the same audience apart (tabs, alerts). */
export function shortNumber(conversationId) {
  return "#" + String(parseInt(conversationId.slice(0, 6), 16) % 1000).padStart(3, "0");
}
