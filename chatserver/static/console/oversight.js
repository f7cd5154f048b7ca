// Coordinators: alerts from experts and every running chat, with read-along and take-over.

import { addChat } from "./chats.js";
import { emit } from "./live.js";
import { $, ME, T, el, fmt, notice, shortNumber, timeOf } from "./util.js";

export function addAlert(alert) {
  const list = $("alert-list");
  if (!list || findAlert(alert.alert_id)) return;
  const item = el("li", {
    className: "alert-item",
    dataset: { alertId: alert.alert_id, conversationId: alert.conversation_id, expert: alert.expert.display_name },
  });
  item.append(el("strong", { className: "alert-expert" }, alert.expert.display_name));
  item.append(el("span", { className: "alert-time" }, ` · ${timeOf(alert.raised_at)} · `));
  const about = el("span", { className: "alert-chat" });
  about.alert = alert;
  item.append(about);
  describeChat(about);
  item.append(el("p", { className: "alert-note" }, alert.note || "—"));
  item.append(ackButton(alert.alert_id), ...oversightButtons(alert.conversation_id, "alert"));
  list.prepend(item);
  $("alerts-none").hidden = true;
  loadOverview();
}

// Which chat: audience, the number on the expert's tab, and how long it has run.
function describeChat(node) {
  const { audience, assigned_at: since, conversation_id: id } = node.alert;
  const name = audience ? T["audience." + audience] || audience : "";
  if (!since) {
    node.textContent = `${name} ${shortNumber(id)} · ${T["alerts.chat_gone"]}`.trim();
    return;
  }
  const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60000));
  node.textContent = fmt("alerts.chat", { audience: name, number: shortNumber(id), m: minutes });
}

if ($("alert-list")) {
  setInterval(() => {
    for (const node of $("alert-list").querySelectorAll(".alert-chat")) describeChat(node);
  }, 30000);
}

// The open alerts of `chats:sync` (oldest first): one listed here and no longer open was
// picked up, or expired, while this console was away.
export function syncAlerts(open) {
  const list = $("alert-list");
  if (!list) return;
  const ids = new Set(open.map((a) => a.alert_id));
  for (const item of [...list.children]) {
    if (!ids.has(item.dataset.alertId)) removeAlert(item);
  }
  for (const alert of open) addAlert(alert);
}

export function alertClosed(data) {
  const item = findAlert(data.alert_id);
  if (!item) return;
  // Whoever pressed "Ik pak dit op" reads "Je pakt ...", not their own name in the third person.
  const key = item.dataset.ackedHere ? "alerts.closed_by_you" : "alerts.closed_by";
  notice(fmt(key, { name: data.by.display_name, expert: item.dataset.expert }));
  removeAlert(item);
}

function ackButton(alertId) {
  const ack = el("button", { type: "button", className: "alert-ack" }, T["alerts.ack"]);
  ack.addEventListener("click", async () => {
    const asked = findAlert(alertId);
    if (asked) asked.dataset.ackedHere = "true";
    const reply = await emit("alert:ack", { alert_id: alertId });
    if (!reply.ok && reply.error && reply.error.code === "not_found") notice(T["alerts.gone"]);
    const item = findAlert(alertId);
    if (reply.ok && item) notice(fmt("alerts.closed_by_you", { expert: item.dataset.expert }));
    if (item && (reply.ok || (reply.error && reply.error.code === "not_found"))) removeAlert(item);
  });
  return ack;
}

function findAlert(alertId) {
  return [...$("alert-list").children].find((item) => item.dataset.alertId === alertId);
}

// Keyboard users keep their place: focus moves to the next alert's button, else the heading.
function removeAlert(item) {
  const hadFocus = item.contains(document.activeElement);
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  $("alerts-none").hidden = $("alert-list").children.length > 0;
  if (hadFocus) (next ? next.querySelector(".alert-ack") : $("alerts-heading")).focus();
}

function oversightButtons(conversationId, prefix) {
  const watch = el("button", { type: "button", className: prefix + "-watch" }, T["alerts.watch"]);
  watch.addEventListener("click", async () => {
    const ack = await emit("chat:watch", { conversation_id: conversationId });
    if (ack.ok) addChat(ack.chat, true, true);
  });
  const takeover = el("button", { type: "button", className: prefix + "-takeover" }, T["alerts.takeover"]);
  takeover.addEventListener("click", () => emit("chat:takeover", { conversation_id: conversationId }));
  return [watch, takeover];
}

// -- every running chat (coordinators) -------------------------------------------------

let overviewTimer = null;

export function loadOverview() {
  if (!$("overview-list")) return;
  clearTimeout(overviewTimer); // several triggers at once make one request
  overviewTimer = setTimeout(async () => {
    if (!$("overview-list")) return; // no longer a coordinator (session:changed)
    const ack = await emit("chats:overview");
    if (ack.ok) renderOverview(ack.chats);
  }, 200);
}

function renderOverview(running) {
  const list = $("overview-list");
  list.replaceChildren();
  for (const entry of running) {
    const item = el("li", { className: "overview-item", dataset: { conversationId: entry.conversation_id } });
    item.append(el("strong", { className: "overview-expert" }, entry.expert.display_name));
    const audience = T["audience." + entry.audience] || entry.audience;
    const number = shortNumber(entry.conversation_id);
    item.append(el("span", { className: "overview-meta" }, `${audience} ${number} · ${timeOf(entry.assigned_at)}`));
    if (entry.expert.id !== ME) item.append(...oversightButtons(entry.conversation_id, "overview"));
    list.append(item);
  }
  $("overview-count").textContent = String(running.length);
  $("overview-none").hidden = running.length > 0;
}

if ($("overview-list")) setInterval(loadOverview, 30000);
