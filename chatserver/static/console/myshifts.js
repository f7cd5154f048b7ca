// Nabij "my shifts" (every staff user): upcoming shifts, drop or swap requests and their
// state, and the private calendar feed (its URL is shown once, with a copy button).

import { $, T, DATA, el, api, say, clearErrors, showErrors, addDays, shiftLabel, fillList, fillSelect } from "./page.js";

let shifts = [];

async function loadShifts() {
  const answer = await api("GET", `/api/shifts?from=${DATA.today}T00:00&to=${addDays(DATA.today, 62)}T00:00`);
  if (!answer.ok) return say("my-status", T["common.error"], true);
  shifts = answer.shifts.filter((shift) => shift.user_id === DATA.user_id);
  fillList($("my-shift-list"), shifts, (s) => el("li", { className: "my-shift" }, shiftLabel(s)), T["my.none"]);
  fillSelect($("request-shift_id"), shifts.map((s) => ({ value: s.id, text: shiftLabel(s) })), "—");
}

async function loadColleagues() {
  const answer = await api("GET", "/api/staff");
  const others = answer.ok ? answer.staff.filter((s) => s.id !== DATA.user_id) : [];
  fillSelect($("request-to_user_id"), others.map((s) => ({ value: s.id, text: s.display_name })), "—");
}

function requestItem(item) {
  const shift = shifts.find((s) => s.id === item.shift_id);
  const what = `${shift ? shiftLabel(shift) : "#" + item.shift_id}: ${T["my.kind." + item.kind]}`;
  return el("li", { className: "my-request" }, `${what} · ${T["my.status." + item.status]}`);
}

async function loadRequests() {
  const answer = await api("GET", "/api/shift-requests");
  if (!answer.ok) return;
  fillList($("my-request-list"), answer.requests, requestItem, T["my.no_requests"]);
}

async function submitRequest(event) {
  event.preventDefault();
  const form = $("request-form");
  const kind = form.querySelector('input[name="kind"]:checked').value;
  const body = { shift_id: Number(form.elements.shift_id.value) || null, kind };
  if (kind === "swap") body.to_user_id = Number(form.elements.to_user_id.value) || null;
  if (form.elements.note.value.trim()) body.note = form.elements.note.value.trim();
  const answer = await api("POST", "/api/shift-requests", body);
  if (!answer.ok) return showErrors(form, answer);
  clearErrors(form);
  form.elements.note.value = "";
  say("my-status", T["my.sent"]);
  await loadRequests();
}

async function calendar(method) {
  const answer = await api(method, "/api/me/calendar");
  if (!answer.ok) return say("my-status", T["common.error"], true);
  $("calendar-box").hidden = method !== "POST";
  $("calendar-url").value = method === "POST" ? answer.url : "";
  if (method === "POST") {
    $("calendar-url").focus();
    $("calendar-url").select();
  } else say("my-status", T["my.calendar_revoked"]);
}

function start() {
  $("request-form").addEventListener("submit", submitRequest);
  $("calendar-issue").addEventListener("click", () => calendar("POST"));
  $("calendar-revoke").addEventListener("click", () => calendar("DELETE"));
  $("calendar-copy").addEventListener("click", async () => {
    $("calendar-url").select();
    try { await navigator.clipboard.writeText($("calendar-url").value); say("my-status", T["my.copied"]); } catch (_) { /* selected: Ctrl+C works */ }
  });
  loadShifts().then(loadRequests);
  loadColleagues();
}

start();
