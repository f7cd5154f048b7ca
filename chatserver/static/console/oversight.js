// Coordinators: alerts from experts and every running chat, with read-along and take-over.

import { addChat } from "./chats.js";
import { emit } from "./live.js";
import { $, ME, T, el, timeOf } from "./util.js";

export function addAlert(alert) {
  const list = $("alert-list");
  if (!list) return;
  const item = el("li", { className: "alert-item", dataset: { conversationId: alert.conversation_id } });
  item.append(el("strong", { className: "alert-expert" }, alert.expert.display_name));
  item.append(el("span", { className: "alert-time" }, ` · ${timeOf(alert.raised_at)} · `));
  item.append(el("code", { className: "alert-conversation" }, alert.conversation_id.slice(0, 8)));
  item.append(el("p", { className: "alert-note" }, alert.note || "—"));
  item.append(...oversightButtons(alert.conversation_id, "alert"));
  list.prepend(item);
  $("alerts-none").hidden = true;
  loadOverview();
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
    item.append(el("span", { className: "overview-meta" }, `${audience} · ${timeOf(entry.assigned_at)}`));
    if (entry.expert.id !== ME) item.append(...oversightButtons(entry.conversation_id, "overview"));
    list.append(item);
  }
  $("overview-count").textContent = String(running.length);
  $("overview-none").hidden = running.length > 0;
}

if ($("overview-list")) setInterval(loadOverview, 30000);
