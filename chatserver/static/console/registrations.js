// Registrations: the pending list, the prefilled form, corrections, contacts by hand.
// An ended chat's registration waits in the pending list and in the chat's own panel; the
// form opens only when the expert asks for it, never over a chat they are in.

import { offerRegistration, registrationSaved } from "./chats.js";
import { $, LABELS, T, api, el, errorText, fmt, notice, teamToday } from "./util.js";

const pending = new Map(); // registration id -> registration
const drafts = new Map(); // registration id or "new" -> what was typed before closing
const chatOf = new Map(); // registration id -> conversation id (from registration:pending)
let regEditing = null; // {id} for PUT, or null for POST (a contact by hand)

const REG = $("reg-form");
const TEXT_FIELDS = ["contact_date", "duration_minutes", "contact_type", "first_or_followup",
  "contact_seeker", "referral", "referral_other", "advised_help_other"];
const LIST_FIELDS = ["support", "advised_help"];

// A coordinator's lists hold every expert's registrations: name the colleague's, so that
// nobody takes another's pending contact for their own (an expert sees only their own).
const colleagues = new Map(); // staff user id -> display name
const ME = Number($("console").dataset.userId);

async function loadColleagues() {
  if ($("console").dataset.role === "expert" || colleagues.size > 0) return;
  const team = await api("GET", "/api/team");
  if (team.ok) for (const member of team.members) colleagues.set(member.id, member.display_name);
}

function regLine(reg) {
  const type = (LABELS.contact_type || {})[reg.contact_type] || reg.contact_type || "";
  const who = reg.visitor_audience ? ` · ${T["audience." + reg.visitor_audience]}` : "";
  const whose = reg.expert_id !== ME && colleagues.has(reg.expert_id)
    ? ` · ${colleagues.get(reg.expert_id)}` : "";
  // A message box answer has no duration yet: the expert fills it in.
  const minutes = Number.isInteger(reg.duration_minutes) ? ` · ${reg.duration_minutes} min` : "";
  return `${reg.contact_date} · ${type}${minutes}${who}${whose}`;
}

function renderPending() {
  const list = $("pending-list");
  list.replaceChildren();
  for (const reg of pending.values()) {
    const item = el("li", { className: "pending-item", dataset: { registrationId: String(reg.id) } });
    item.append(el("span", {}, regLine(reg)));
    const open = el("button", { type: "button", className: "open-registration" }, T["reg.open"]);
    open.addEventListener("click", () => openRegistration(reg));
    item.append(open);
    list.append(item);
  }
  $("pending-count").textContent = String(pending.size);
  $("pending-none").hidden = pending.size > 0;
}

function renderDone(registrations) {
  const list = $("done-list");
  list.replaceChildren();
  for (const reg of registrations.slice(-10).reverse()) {
    const item = el("li", { className: "done-item", dataset: { registrationId: String(reg.id) } });
    item.append(el("span", {}, regLine(reg)));
    const edit = el("button", { type: "button", className: "edit-registration" }, T["reg.edit"]);
    edit.addEventListener("click", () => openRegistration(reg));
    item.append(edit);
    list.append(item);
  }
}

export async function loadRegistrations() {
  await loadColleagues();
  const open = await api("GET", "/api/registrations?status=pending");
  if (open.ok) {
    pending.clear();
    for (const reg of open.registrations) pending.set(reg.id, reg);
    renderPending();
  }
  const done = await api("GET", "/api/registrations?status=done");
  if (done.ok) renderDone(done.registrations);
}

function clearErrors() {
  for (const span of REG.querySelectorAll(".field-error")) span.textContent = "";
  for (const field of REG.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  $("reg-message").textContent = "";
}

// What the visitor chose, next to "contact seeker": the form's codes have no "relative",
// so only what maps exactly is prefilled and the expert picks the rest knowingly.
function showVisitorAudience(reg) {
  const hint = $("reg-visitor-audience");
  const audience = reg && reg.visitor_audience;
  hint.textContent = audience ? fmt("reg.visitor_chose", { audience: T["audience." + audience] || audience }) : "";
  hint.hidden = !audience;
}

export function openRegistration(reg) {
  regEditing = reg && reg.id ? { id: reg.id } : null;
  clearErrors();
  REG.reset();
  showVisitorAudience(reg);
  const fresh = reg || { contact_date: teamToday(), duration_minutes: "" };
  const values = drafts.get(draftKey()) || fresh;
  for (const name of TEXT_FIELDS) REG.elements[name].value = values[name] ?? "";
  for (const name of LIST_FIELDS) {
    for (const box of REG.querySelectorAll(`input[name="${name}"]`)) {
      box.checked = (values[name] || []).includes(box.value);
    }
  }
  $("reg-dialog").showModal();
  const firstEmpty = ["contact_type", "first_or_followup"].find((n) => !REG.elements[n].value);
  REG.elements[firstEmpty || "first_or_followup"].focus();
}

function formValues() {
  const body = {};
  for (const name of TEXT_FIELDS) {
    const value = REG.elements[name].value.trim();
    body[name] = value === "" ? null : value;
  }
  const minutes = REG.elements.duration_minutes.value;
  body.duration_minutes = /^\d+$/.test(minutes) ? Number(minutes) : minutes === "" ? null : minutes;
  for (const name of LIST_FIELDS) {
    body[name] = [...REG.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);
  }
  return body;
}

REG.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const data = regEditing
    ? await api("PUT", `/api/registrations/${regEditing.id}`, formValues())
    : await api("POST", "/api/registrations", formValues());
  if (!data.ok) {
    showFieldErrors(data.error || {});
    return;
  }
  pending.delete(data.registration.id);
  drafts.delete(draftKey());
  if (chatOf.has(data.registration.id)) registrationSaved(chatOf.get(data.registration.id));
  chatOf.delete(data.registration.id);
  renderPending();
  $("reg-dialog").dataset.saved = "1";
  $("reg-dialog").close();
  notice(T["reg.saved"]);
  loadRegistrations();
});

// Ctrl+Enter saves from any field, so the form can be done without leaving the keyboard.
REG.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    REG.requestSubmit();
  }
});

function showFieldErrors(error) {
  const fields = error.fields || {};
  $("reg-message").textContent = Object.keys(fields).length ? T["reg.fix"] : errorText({ error });
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const span = $("err-" + name);
    if (span) span.textContent = T["api:" + message] || message;
    const control = REG.elements[name];
    const target = control instanceof RadioNodeList ? control[0] : control;
    if (target) {
      target.setAttribute("aria-invalid", "true");
      first = first || target;
    }
  }
  if (first) first.focus();
}

function draftKey() {
  return regEditing ? regEditing.id : "new";
}

// Closing without saving (button or Escape) keeps what was typed for the next opening.
$("reg-dialog").addEventListener("close", () => {
  if (!$("reg-dialog").dataset.saved) drafts.set(draftKey(), formValues());
  delete $("reg-dialog").dataset.saved;
});
$("reg-cancel").addEventListener("click", () => $("reg-dialog").close());
$("new-registration").addEventListener("click", () => openRegistration(null));

// Advised help is asked only with "advice to seek professional help": ticking a kind of
// help ticks that too, and unticking it while help is ticked says so before saving.
const PROFESSIONAL = 'input[name="support"][value="advice_professional_help"]';
REG.addEventListener("change", (event) => {
  const box = event.target;
  const advised = REG.querySelectorAll('input[name="advised_help"]:checked').length > 0;
  if (box.name === "advised_help" && box.checked) REG.querySelector(PROFESSIONAL).checked = true;
  const conflict = advised && !REG.querySelector(PROFESSIONAL).checked;
  if (box.name === "advised_help" || box.matches(PROFESSIONAL)) {
    $("err-advised_help").textContent = conflict ? T["reg.advised_needs_professional"] : "";
  }
});

/** A chat ended: list its registration and offer it in the chat's panel; nothing pops up. */
export function addPending(data) {
  const reg = data.prefill;
  pending.set(data.registration_id, reg);
  chatOf.set(data.registration_id, data.conversation_id);
  renderPending();
  offerRegistration(data.conversation_id, () => openRegistration(pending.get(data.registration_id) || reg));
}

/** A registration made without a chat (an answered message box thread): pending at once. */
export function addPendingRegistration(reg) {
  pending.set(reg.id, reg);
  renderPending();
}
