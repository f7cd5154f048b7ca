// An expert's own mentor alerts: "waiting for a coordinator" until one picks it up, then who.

import { $, T, el, fmt, notice, shortNumber, timeOf } from "./util.js";

export function alertRaised(ack, conversationId) {
  if (ack.coordinators_online === 0) notice(T["chat.alert_nobody"]);
  else if (ack.coordinators_online > 0) notice(fmt("chat.alert_sent", { n: ack.coordinators_online }));
  else notice(T["chat.alert_stored"]);
  showMine({ alert_id: ack.alert_id, conversation_id: conversationId, raised_at: new Date().toISOString() });
}

// The open alerts of `chats:sync` that are this expert's; one shown as waiting that is no
// longer open was closed while this console was away.
export function syncMine(open) {
  const ids = new Set(open.map((a) => a.alert_id));
  for (const item of $("my-alert-list").children) {
    if (item.dataset.state === "waiting" && !ids.has(item.dataset.alertId)) {
      setState(item, "closed", T["alerts.no_longer_open"]);
    }
  }
  for (const alert of open) showMine(alert);
}

export function alertAcked(data) {
  const item = findMine(data.alert_id) || showMine({ ...data, raised_at: null });
  setState(item, "acked", fmt("alerts.picked_up", { name: data.by.display_name }));
  notice(fmt("alerts.picked_up_notice", { name: data.by.display_name }));
}

function showMine(alert) {
  const existing = findMine(alert.alert_id);
  if (existing) return existing;
  const item = el("li", { className: "my-alert-item", dataset: { alertId: alert.alert_id } });
  const when = alert.raised_at ? `${timeOf(alert.raised_at)} · ` : "";
  item.append(el("span", { className: "my-alert-meta" }, when));
  item.append(el("span", { className: "my-alert-conversation" }, shortNumber(alert.conversation_id)));
  item.append(el("strong", { className: "my-alert-state" }));
  setState(item, "waiting", T["alerts.waiting"]);
  $("my-alert-list").prepend(item);
  $("my-alerts").hidden = false;
  return item;
}

function findMine(alertId) {
  return [...$("my-alert-list").children].find((item) => item.dataset.alertId === alertId);
}

function setState(item, state, text) {
  item.dataset.state = state;
  item.querySelector(".my-alert-state").textContent = text;
}
