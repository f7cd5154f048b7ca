// Nabij roster page, the planning side: recurring patterns (add, skip days, end), the chat
// hours, the coverage panel (gaps, warnings, unattended shifts) and shift requests.

import {
  $, T, DATA, LANG, el, fmt, api, say, clearErrors, showErrors, addDays, dayLabel, shiftLabel,
  fillList, answerError,
} from "./page.js";

const state = { experts: [], refresh: async () => {} };

function nameOf(userId) {
  const member = state.experts.find((m) => m.id === userId);
  return member ? member.display_name : `#${userId}`;
}

function checkedDays(scope, selector) {
  return [...scope.querySelectorAll(selector)].filter((box) => box.checked).map((box) => box.value);
}

function daysText(codes) {
  return codes.map((code) => T["day." + code]).join(" ");
}

// -- patterns ---------------------------------------------------------------------------

function smallForm(pattern, kind, names) {
  const form = el("form", { className: `pattern-${kind}`, noValidate: true });
  for (const name of names) {
    const id = `p${pattern.id}-${kind}-${name}`;
    form.append(el("label", { htmlFor: id }, T[`roster.${kind}_${name}`]));
    form.append(el("input", { id, name, type: "date", required: true, value: DATA.today }));
    form.append(el("span", { className: "field-error", dataset: { errorFor: name } }));
  }
  form.append(el("span", { className: "field-error", dataset: { errorFor: "_form" }, tabIndex: -1 }));
  const label = kind === "skip" ? T["roster.skip"] : T["roster.end_pattern"];
  form.append(el("button", { type: "submit", className: "secondary" }, label));
  form.addEventListener("submit", (event) => patternAction(event, pattern, kind, names));
  return form;
}

async function patternAction(event, pattern, kind, names) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = Object.fromEntries(names.map((name) => [name, form.elements[name].value]));
  const answer = await api("POST", `/api/roster/patterns/${pattern.id}/${kind}`, body);
  if (!answer.ok) return showErrors(form, answer);
  clearErrors(form);
  say("roster-status", fmt(kind === "skip" ? "roster.skipped" : "roster.ended", { n: answer.removed }));
  await Promise.all([loadPatterns(), state.refresh()]);
}

function patternItem(pattern) {
  const until = pattern.ends_on ? ` ${fmt("roster.until", { day: dayLabel(pattern.ends_on) })}` : "";
  const text = `${pattern.display_name}: ${daysText(pattern.weekdays)} ${pattern.start}–${pattern.end},`
    + ` ${dayLabel(pattern.starts_on)}${until}`;
  const item = el("li", { className: "pattern-item", dataset: { patternId: pattern.id } });
  item.append(el("p", { className: "pattern-text" }, text));
  const details = el("details");
  details.append(el("summary", {}, `${T["roster.skip"]} / ${T["roster.end_pattern"]}`));
  details.append(smallForm(pattern, "skip", ["first", "last"]), smallForm(pattern, "end", ["last"]));
  item.append(details);
  return item;
}

async function loadPatterns() {
  const answer = await api("GET", "/api/roster/patterns");
  if (!answer.ok) return;
  fillList($("pattern-list"), answer.patterns, patternItem, T["roster.no_patterns"]);
}

async function submitPattern(event) {
  event.preventDefault();
  const form = $("pattern-form");
  const body = {
    user_id: Number(form.elements.user_id.value) || null,
    weekdays: checkedDays(form, 'input[name="weekdays"]'),
    start: form.elements.start.value,
    end: form.elements.end.value,
    starts_on: form.elements.starts_on.value,
  };
  if (form.elements.ends_on.value) body.ends_on = form.elements.ends_on.value;
  const answer = await api("POST", "/api/roster/patterns", body);
  if (!answer.ok) return showErrors(form, answer);
  clearErrors(form);
  say("roster-status", T["roster.pattern_saved"]);
  await Promise.all([loadPatterns(), state.refresh()]);
}

// -- chat hours ---------------------------------------------------------------------------

function addHoursRow(hours = { weekdays: [], start: "", end: "" }) {
  const row = $("hours-row").content.firstElementChild.cloneNode(true);
  const index = $("hours-rows").children.length;
  for (const box of row.querySelectorAll(".hours-day")) box.checked = hours.weekdays.includes(box.value);
  row.querySelector(".hours-start").value = hours.start;
  row.querySelector(".hours-end").value = hours.end;
  row.querySelector(".hours-error").dataset.errorFor = `hours[${index}]`;
  row.querySelector(".hours-remove").addEventListener("click", () => {
    row.remove();
    renumberHours();
  });
  $("hours-rows").append(row);
}

function renumberHours() {
  [...$("hours-rows").children].forEach((row, index) => {
    row.querySelector(".hours-error").dataset.errorFor = `hours[${index}]`;
  });
}

async function loadHours() {
  const answer = await api("GET", "/api/roster/chat-hours");
  $("hours-rows").replaceChildren();
  for (const hours of answer.ok ? answer.hours : []) addHoursRow(hours);
}

async function submitHours(event) {
  event.preventDefault();
  const form = $("hours-form");
  const hours = [...$("hours-rows").children].map((row) => ({
    weekdays: checkedDays(row, ".hours-day"),
    start: row.querySelector(".hours-start").value,
    end: row.querySelector(".hours-end").value,
  }));
  const answer = await api("PUT", "/api/roster/chat-hours", { hours });
  if (!answer.ok) return showErrors(form, answer);
  clearErrors(form);
  say("roster-status", T["roster.chat_hours_saved"]);
  await refreshCoverage();
}

// -- coverage -------------------------------------------------------------------------------

/** A warning in the page's language, from its fields (its `message` is English). */
function warningText(warning) {
  const number = (value) => Number(value).toLocaleString(LANG, { maximumFractionDigits: 2 });
  return fmt(`roster.warning.${warning.kind}`, {
    name: nameOf(warning.user_id),
    shift: shiftLabel(warning),
    hours: number(warning.hours),
    limit: number(warning.limit),
  });
}

export async function refreshCoverage() {
  const answer = await api("GET", "/api/roster/coverage");
  if (!answer.ok) return;
  const noGaps = answer.chat_hours_set ? T["roster.no_gaps"] : T["roster.no_chat_hours"];
  fillList($("gap-list"), answer.gaps, (gap) => el("li", { className: "gap" }, shiftLabel(gap)), noGaps);
  fillList($("warning-list"), answer.warnings, (w) => el("li", { className: "warning" }, warningText(w)), T["roster.no_warnings"]);
  fillList($("unattended-list"), answer.unattended, (s) => el("li", {}, `${shiftLabel(s)} ${s.display_name}`), T["roster.no_unattended"]);
}

// -- shift requests ---------------------------------------------------------------------------

async function loadRequests() {
  const [answer, shifts] = await Promise.all([
    api("GET", "/api/shift-requests?status=pending"),
    api("GET", `/api/shifts?from=${DATA.today}T00:00&to=${addDays(DATA.today, 62)}T00:00`),
  ]);
  if (!answer.ok) return;
  const byId = new Map((shifts.ok ? shifts.shifts : []).map((s) => [s.id, s]));
  fillList($("request-list"), answer.requests, (item) => requestItem(item, byId.get(item.shift_id)), T["roster.no_requests"]);
}

function requestItem(item, shift) {
  const values = {
    name: nameOf(item.requester_id),
    shift: shift ? shiftLabel(shift) : `#${item.shift_id}`,
    to: item.to_user_id ? nameOf(item.to_user_id) : "",
  };
  const row = el("li", { className: "request-item", dataset: { requestId: item.id } });
  row.append(el("span", { className: "request-text" }, fmt(`roster.${item.kind}`, values)));
  if (item.note) row.append(el("q", { className: "request-note" }, item.note));
  for (const action of ["approve", "refuse"]) {
    const button = el("button", { type: "button", className: `request-${action}${action === "refuse" ? " danger" : ""}` }, T[`roster.${action}`]);
    button.addEventListener("click", () => decide(item, action));
    row.append(button);
  }
  return row;
}

async function decide(item, action) {
  const answer = await api("POST", `/api/shift-requests/${item.id}/${action}`);
  say("roster-status", answer.ok ? T["common.saved"] : answerError(answer), !answer.ok);
  await Promise.all([loadRequests(), state.refresh()]);
}

export function setupPlanning(experts, refresh) {
  state.experts = experts;
  state.refresh = refresh;
  const form = $("pattern-form");
  form.elements.starts_on.value = DATA.today;
  form.addEventListener("submit", submitPattern);
  $("hours-form").addEventListener("submit", submitHours);
  $("hours-add").addEventListener("click", () => addHoursRow());
  loadPatterns();
  loadHours();
  loadRequests();
  refreshCoverage();
}

