// Nabij roster page (coordinators): week and month views, adding, changing and deleting
// shifts. Patterns, chat hours, coverage and requests live in rosterplan.js.

import {
  $, T, DATA, el, fmt, api, say, clearErrors, showErrors, addDays, mondayOf, dayLabel,
  timeRange, fillSelect,
} from "./page.js";
import { setupPlanning, refreshCoverage } from "./rosterplan.js";

const state = { view: "week", anchor: DATA.today, shifts: [], gaps: [], experts: [] };

function period() {
  if (state.view === "week") {
    const first = mondayOf(state.anchor);
    return { first, days: 7 };
  }
  const monthStart = `${state.anchor.slice(0, 8)}01`;
  const first = mondayOf(monthStart);
  const nextMonth = addDays(`${state.anchor.slice(0, 8)}28`, 4).slice(0, 8) + "01";
  let days = 0;
  while (addDays(first, days) < nextMonth) days += 7;
  return { first, days };
}

function periodTitle({ first, days }) {
  if (state.view === "week") return `${dayLabel(first)} – ${dayLabel(addDays(first, days - 1))}`;
  const date = new Date(`${state.anchor}T00:00:00Z`);
  return date.toLocaleDateString(document.documentElement.lang, { month: "long", year: "numeric", timeZone: "UTC" });
}

/** Shifts (or gaps) touching a local day: one across midnight shows on both days. */
function shiftsOn(day, items = state.shifts) {
  const start = `${day}T00:00`, end = `${addDays(day, 1)}T00:00`;
  return items.filter((s) => s.starts_local.slice(0, 16) < end && s.ends_local.slice(0, 16) > start);
}

/** The part of a shift or gap on one day: "19:00–22:00", or "↳ 00:00–04:00" the day after. */
function rangeOn(item, day) {
  if (item.starts_local.slice(0, 10) < day) return `↳ 00:00–${item.ends_local.slice(11, 16)}`;
  return timeRange(item.starts_local, item.ends_local);
}

/** A gap in the chat hours on the calendar: nobody is rostered then. */
function gapItem(gap, day) {
  return el("li", { className: "gap-slot" }, fmt("roster.gap_slot", { range: rangeOn(gap, day) }));
}

function shiftItem(shift, day) {
  const continued = shift.starts_local.slice(0, 10) < day;
  const text = `${rangeOn(shift, day)} ${shift.display_name}`;
  const item = el("li", { className: "shift", dataset: { shiftId: shift.id } });
  item.append(el("span", { className: "shift-text" }, text));
  if (!continued) {
    const edit = el("button", { type: "button", className: "link shift-edit" }, T["roster.edit"]);
    edit.append(el("span", { className: "visually-hidden" }, ` ${text}`));
    edit.addEventListener("click", () => editShift(shift));
    const remove = el("button", { type: "button", className: "link danger shift-delete" }, T["common.delete"]);
    remove.append(el("span", { className: "visually-hidden" }, ` ${text}`));
    remove.addEventListener("click", () => deleteShift(shift));
    item.append(edit, remove);
  }
  return item;
}

function dayBlock(day, heading) {
  const block = el("div", { className: "day", dataset: { day } });
  if (day === DATA.today) block.classList.add("today");
  block.append(el(heading, { className: "day-label" }, dayLabel(day)));
  const list = el("ul", { className: "plain shifts" });
  const items = [
    ...shiftsOn(day).map((shift) => [shift, shiftItem(shift, day)]),
    ...shiftsOn(day, state.gaps).map((gap) => [gap, gapItem(gap, day)]),
  ];
  items.sort(([a], [b]) => (a.starts_local < b.starts_local ? -1 : a.starts_local > b.starts_local ? 1 : 0));
  for (const [, item] of items) list.append(item);
  block.append(list);
  return block;
}

function renderWeek({ first }) {
  const week = el("div", { className: "week", id: "week-view" });
  for (let i = 0; i < 7; i += 1) week.append(dayBlock(addDays(first, i), "h3"));
  return week;
}

function renderMonth({ first, days }) {
  const table = el("table", { className: "month", id: "month-view" });
  table.append(el("caption", { className: "visually-hidden" }, periodTitle({ first, days })));
  const head = el("tr");
  for (let i = 0; i < 7; i += 1) head.append(el("th", { scope: "col" }, dayLabel(addDays(first, i)).split(" ")[0]));
  const thead = el("thead");
  thead.append(head);
  table.append(thead);
  const body = el("tbody");
  for (let week = 0; week < days; week += 7) {
    const row = el("tr");
    for (let i = 0; i < 7; i += 1) {
      const day = addDays(first, week + i);
      const cell = el("td");
      if (day.slice(0, 7) !== state.anchor.slice(0, 7)) cell.classList.add("other-month");
      cell.append(dayBlock(day, "h3"));
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  return table;
}

async function loadShifts() {
  const range = period();
  const to = addDays(range.first, range.days);
  const [answer, coverage] = await Promise.all([
    api("GET", `/api/shifts?from=${range.first}T00:00&to=${to}T00:00`),
    api("GET", `/api/roster/coverage?from=${range.first}&to=${addDays(to, -1)}`),
  ]);
  if (!answer.ok) return say("roster-status", T["common.error"], true);
  state.shifts = answer.shifts;
  state.gaps = coverage.ok ? coverage.gaps : [];
  $("period-label").textContent = periodTitle(range);
  $("calendar").replaceChildren(state.view === "week" ? renderWeek(range) : renderMonth(range));
  $("view-week").setAttribute("aria-pressed", String(state.view === "week"));
  $("view-month").setAttribute("aria-pressed", String(state.view === "month"));
}

function move(step) {
  if (state.view === "week") state.anchor = addDays(state.anchor, 7 * step);
  else {
    const base = step > 0 ? addDays(`${state.anchor.slice(0, 8)}28`, 4) : addDays(`${state.anchor.slice(0, 8)}01`, -1);
    state.anchor = `${base.slice(0, 8)}01`;
  }
  loadShifts();
}

// -- the shift form ------------------------------------------------------------------------

function resetShiftForm() {
  const form = $("shift-form");
  form.elements.id.value = "";
  $("shift-form-title").textContent = T["roster.new_shift"];
  $("shift-submit").textContent = T["roster.add"];
  $("shift-cancel").hidden = true;
  clearErrors(form);
}

function editShift(shift) {
  const form = $("shift-form");
  form.elements.id.value = String(shift.id);
  form.elements.user_id.value = String(shift.user_id);
  form.elements.starts_at.value = shift.starts_local.slice(0, 16);
  form.elements.ends_at.value = shift.ends_local.slice(0, 16);
  $("shift-form-title").textContent = T["roster.edit_shift"];
  $("shift-submit").textContent = T["common.save"];
  $("shift-cancel").hidden = false;
  clearErrors(form);
  form.elements.user_id.focus();
}

async function submitShift(event) {
  event.preventDefault();
  const form = $("shift-form");
  const id = form.elements.id.value;
  const body = {
    user_id: Number(form.elements.user_id.value) || null,
    starts_at: form.elements.starts_at.value,
    ends_at: form.elements.ends_at.value,
  };
  const answer = await api(id ? "PUT" : "POST", id ? `/api/shifts/${id}` : "/api/shifts", body);
  if (!answer.ok) return showErrors(form, answer);
  resetShiftForm();
  say("roster-status", T["roster.shift_saved"]);
  await refreshAll();
}

async function deleteShift(shift) {
  const values = {
    name: shift.display_name,
    day: dayLabel(shift.starts_local.slice(0, 10)),
    range: timeRange(shift.starts_local, shift.ends_local),
  };
  if (!window.confirm(fmt("roster.confirm_delete", values))) return;
  const answer = await api("DELETE", `/api/shifts/${shift.id}`);
  say("roster-status", answer.ok ? T["roster.deleted"] : T["common.error"], !answer.ok);
  await refreshAll();
}

export async function refreshAll() {
  await Promise.all([loadShifts(), refreshCoverage()]);
}

async function loadExperts() {
  const answer = await api("GET", "/api/team");
  state.experts = answer.ok ? answer.members.filter((m) => m.active) : [];
  const options = state.experts.map((m) => ({ value: m.id, text: `${m.display_name} (${m.username})` }));
  for (const select of document.querySelectorAll('select[name="user_id"]')) fillSelect(select, options, "—");
  return state.experts;
}

function start() {
  $("view-week").addEventListener("click", () => { state.view = "week"; loadShifts(); });
  $("view-month").addEventListener("click", () => { state.view = "month"; loadShifts(); });
  $("period-prev").addEventListener("click", () => move(-1));
  $("period-next").addEventListener("click", () => move(1));
  $("period-today").addEventListener("click", () => { state.anchor = DATA.today; loadShifts(); });
  $("shift-form").addEventListener("submit", submitShift);
  $("shift-cancel").addEventListener("click", resetShiftForm);
  loadExperts().then((experts) => setupPlanning(experts, refreshAll));
  loadShifts();
}

start();

