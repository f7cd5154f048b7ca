// Nabij staff pages (roster, team, my shifts, audit): shared helpers. Never parse markup:
// every value from the server is set with textContent, value or option.text.

import { $, api, el, formatter } from "./base.js";

export { $, api, el };

export const T = JSON.parse($("page-texts").textContent);
export const DATA = JSON.parse($("page-data").textContent);
export const LANG = document.documentElement.lang || "nl";

export const fmt = formatter(T);

/** Show a message in a status region (role="status"), or an error in red. */
export function say(target, text, isError = false) {
  const node = typeof target === "string" ? $(target) : target;
  node.textContent = text;
  node.classList.toggle("error", isError);
}

const TEMPLATES = Object.keys(T).filter((key) => key.startsWith("api~"))
  .map((key) => key.slice(4)).sort((a, b) => b.length - a.length);

/**
 * An API message (English) in the page's language: exact ("api:" texts), else the first
 * template ("api~" texts, `{name}` a value kept as sent) it fits, else as sent.
 * The same rule as chatserver/console/api_texts.py `translate`.
 */
export function translate(message) {
  if (T["api:" + message]) return T["api:" + message];
  for (const english of TEMPLATES) {
    const names = [];
    const pattern = english.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")
      .replace(/\\\{(\w+)\\\}/g, (_, name) => { names.push(name); return "(.+?)"; });
    const found = new RegExp(`^${pattern}$`).exec(message);
    if (found) return T["api~" + english].replace(/\{(\w+)\}/g, (_, name) => found[names.indexOf(name) + 1]);
  }
  return message;
}

/** The error of a refused API call in the page's language (fields, else its message). */
export function answerError(answer) {
  const error = answer.error || {};
  const fields = error.fields ? Object.values(error.fields).map(translate).join(" ") : "";
  return fields || (error.message ? translate(error.message) : T["common.error"]);
}

/** Clear a form's field errors (elements `[data-error-for]`) and its general error. */
export function clearErrors(form) {
  for (const node of form.querySelectorAll("[data-error-for]")) node.textContent = "";
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** Show the API's `fields` next to the fields and focus the first; nothing typed is cleared. */
export function showErrors(form, answer) {
  clearErrors(form);
  const fields = (answer.error && answer.error.fields) || {};
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`)
      || form.querySelector('[data-error-for="_form"]');
    const text = translate(message);
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      first = first || control;
    }
  }
  const general = form.querySelector('[data-error-for="_form"]');
  if (general && !Object.keys(fields).length) {
    general.textContent = answerError(answer);
  }
  (first || general || form).focus();
}

// -- local days ("YYYY-MM-DD"), computed in UTC so daylight saving never shifts a day ----

const DAY_CODES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export function addDays(day, n) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

export function weekdayCode(day) {
  return DAY_CODES[new Date(`${day}T00:00:00Z`).getUTCDay()];
}

export function mondayOf(day) {
  const back = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -back);
}

/** "di 24 nov" (Dutch) / "Tue 24 Nov" (English) for a local day. */
export function dayLabel(day) {
  const date = new Date(`${day}T00:00:00Z`);
  const month = date.toLocaleDateString(LANG, { month: "short", timeZone: "UTC" }).replace(".", "");
  return `${T["day." + weekdayCode(day)]} ${date.getUTCDate()} ${month}`;
}

/** "19:00–22:00" from two local ISO strings ("2026-11-24T19:00:00+01:00"). */
export function timeRange(startLocal, endLocal) {
  const nextDay = endLocal.slice(0, 10) > startLocal.slice(0, 10) ? ` ${T["roster.next_day"]}` : "";
  return `${startLocal.slice(11, 16)}–${endLocal.slice(11, 16)}${nextDay}`;
}

/** "di 24 nov 19:00–22:00". */
export function shiftLabel(shift) {
  return `${dayLabel(shift.starts_local.slice(0, 10))} ${timeRange(shift.starts_local, shift.ends_local)}`;
}

/** Replace a list's items; show `emptyText` as one item when there are none. */
export function fillList(list, items, render, emptyText) {
  list.replaceChildren();
  if (!items.length) list.append(el("li", { className: "empty" }, emptyText));
  for (const item of items) list.append(render(item));
}

/** Options for a select: [{value, text}]; keeps the chosen value when it is still there. */
export function fillSelect(select, options, blank = "") {
  const chosen = select.value;
  select.replaceChildren();
  if (blank !== null) select.append(new Option(blank, ""));
  for (const { value, text } of options) select.append(new Option(text, String(value)));
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}
