// The message box beside the queue: messages visitors left while nobody could chat. One
// expert claims one (the server makes that atomic: a colleague who was first gets
// `taken`), reads the thread, answers; the answer makes a pending registration.
// Refreshed every 20 s and after each own action. Text only ever goes in as textContent.

import { addPendingRegistration } from "./registrations.js";
import { $, T, api, el, errorText, fmt, notice, timeOf } from "./util.js";

const REFRESH_MS = 20000;
let openId = null; // the thread shown, or null

/** "12 min", "3 u", "2 d": how long a message has waited, at the precision that matters. */
export function ageText(sinceIso, nowMs) {
  const minutes = Math.max(0, Math.floor((nowMs - Date.parse(sinceIso)) / 60000));
  if (!Number.isFinite(minutes)) return "";
  if (minutes < 60) return fmt("chatbox.age.m", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return fmt("chatbox.age.h", { n: hours });
  return fmt("chatbox.age.d", { n: Math.floor(hours / 24) });
}

export async function loadMessages() {
  const answer = await api("GET", "/api/staff/messages");
  if (answer.ok) renderList(answer.messages, answer.count);
}

function renderList(messages, count) {
  const now = Date.now();
  const list = $("box-list");
  list.replaceChildren(...messages.map((message) => listItem(message, now)));
  $("box-count").textContent = String(Number.isInteger(count) ? count : messages.length);
  $("box-empty").hidden = messages.length > 0;
}

function listItem(message, now) {
  const item = el("li", { className: "box-item", dataset: { messageId: String(message.id) } });
  const audience = T["audience." + message.audience] || message.audience;
  const parts = [audience, T["chat.lang." + message.lang] || message.lang, fmt("chatbox.waiting", { age: ageText(message.waiting_since, now) })];
  if (message.follow_up) parts.push(T["chatbox.follow_up"]);
  if (message.claimed_by_me) parts.push(T["chatbox.mine"]);
  item.append(el("span", {}, parts.join(" · ")));
  const mine = message.claimed_by_me === true;
  const button = el("button", { type: "button", className: mine ? "box-open" : "box-claim" }, T[mine ? "chatbox.open" : "chatbox.claim"]);
  button.addEventListener("click", () => (mine ? openThread(message.id) : claim(message.id)));
  item.append(button);
  return item;
}

async function claim(id) {
  const answer = await api("POST", `/api/staff/messages/${encodeURIComponent(id)}/claim`, {});
  if (!answer.ok) return refused(answer);
  showThread(answer.thread);
  loadMessages();
}

async function openThread(id) {
  const answer = await api("GET", `/api/staff/messages/${encodeURIComponent(id)}`);
  if (!answer.ok) return refused(answer);
  showThread(answer.thread);
}

function refused(answer) {
  const code = answer.error && answer.error.code;
  const known = { taken: "chatbox.taken", not_on_shift: "chatbox.not_on_shift", not_found: "chatbox.gone" };
  notice(known[code] ? T[known[code]] : errorText(answer));
  loadMessages();
}

function showThread(thread) {
  openId = thread.id;
  const audience = T["audience." + thread.audience] || thread.audience;
  $("box-thread-title").textContent = fmt("chatbox.thread", { audience });
  $("box-messages").replaceChildren(...(thread.messages || []).map(threadItem));
  $("box-answer").value = "";
  $("box-error").textContent = "";
  $("box-thread").hidden = false;
  $("box-thread-title").focus();
}

function threadItem(message) {
  const expert = message.sender === "expert";
  const who = expert ? message.display_name || T["chat.expert"] : T["chatbox.visitor"];
  const item = el("li", { className: "msg " + (expert ? "expert" : "visitor") });
  item.append(el("span", { className: "who" }, `${who} · ${timeOf(message.sent_at)}`));
  item.append(el("p", { className: "body" }, String(message.body || "")));
  return item;
}

async function sendAnswer(event) {
  event.preventDefault();
  const body = $("box-answer").value;
  if (!body.trim()) return fieldError(T["chatbox.empty_answer"]);
  $("box-send").disabled = true;
  const answer = await api("POST", `/api/staff/messages/${encodeURIComponent(openId)}/answer`, { body });
  $("box-send").disabled = false;
  if (!answer.ok) {
    const field = answer.error && answer.error.fields && answer.error.fields.body;
    if (answer.error && answer.error.code === "invalid") return fieldError(typeof field === "string" ? field : errorText(answer));
    return refused(answer);
  }
  closeThread();
  if (answer.registration) addPendingRegistration(answer.registration);
  notice(T["chatbox.sent"]);
  loadMessages();
}

function fieldError(text) {
  $("box-error").textContent = text;
  $("box-answer").setAttribute("aria-invalid", "true");
  $("box-answer").focus();
}

function closeThread() {
  openId = null;
  $("box-thread").hidden = true;
  $("box-messages").replaceChildren();
  $("box-answer").value = "";
  $("box-answer").removeAttribute("aria-invalid");
  $("box-heading").focus();
}

export function startMessageBox() {
  $("box-form").addEventListener("submit", sendAnswer);
  $("box-close").addEventListener("click", closeThread);
  $("box-heading").tabIndex = -1;
  loadMessages();
  setInterval(loadMessages, REFRESH_MS);
}
