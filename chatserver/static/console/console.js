// Nabij staff console: the live parts over Socket.IO namespace /staff, the rest over the
// JSON API. No framework and no build step: plain ES modules. Everything received is
// rendered with textContent (never parsed as HTML), so script or markup stays text.

import { attention, countUnreadWith } from "./attention.js";
import {
  addChat,
  appendMessage,
  chatArrived,
  chats,
  endChat,
  isActive,
  keepOnly,
  loadQuickReplies,
  removeChat,
  renderTab,
  showChat,
  unreadCount,
} from "./chats.js";
import { emit, socket } from "./live.js";
import { startMessageBox } from "./messagebox.js";
import { alertAcked, syncMine } from "./myalerts.js";
import { addAlert, alertClosed, loadOverview, syncAlerts } from "./oversight.js";
import { addPending, loadRegistrations } from "./registrations.js";
import { $, ME, T, el, fmt, notice } from "./util.js";

countUnreadWith(unreadCount);

// Set once the server has signed this console out: it must not reconnect.
let signedOut = false;

socket.on("connect", async () => {
  notice("");
  await resync(false);
  loadOverview();
});

// `lost`: the live store lost chats (it was restarted empty); those missing have ended.
async function resync(lost) {
  const sync = await socket.emitWithAck("chats:sync");
  if (!sync.ok) return;
  renderQueue(sync.waiting);
  for (const chat of sync.chats) addChat(chat, false);
  syncAlerts(sync.alerts);
  syncMine(sync.alerts.filter((a) => a.expert.id === ME));
  // A chat that went back to the queue while this console was away is no longer ours;
  // one the live store lost has ended.
  const held = new Set(sync.chats.map((c) => c.conversation_id));
  if (lost) {
    for (const [id, chat] of chats) {
      if (!held.has(id) && !chat.watching) endChat(id, { by: "system", reason: "lost" });
    }
  }
  keepOnly(held);
  if (sync.user.role !== $("console").dataset.role) sessionChanged(sync.user);
  // The server's word counts: availability survives a reload or reconnect within the
  // grace, and after a longer absence the expert is told plainly that it has ended. Only a
  // server that has no word at all (`null`: it restarted) is told again what this showed.
  if (sync.available === null && $("available").checked) await setPresence(true);
  else showPresence(sync.available === true);
}

socket.on("chats:resync", async () => {
  await resync(true);
  notice(T["chats.lost"]);
});
socket.on("disconnect", (reason) => {
  if (signedOut) return;
  notice(T["connection.lost"], { sticky: true });
  // A server that shuts down (SIGTERM, a deploy) closes its sockets, and socket.io-client
  // does not come back by itself after that: reconnect, landing on another process.
  if (reason === "io server disconnect") setTimeout(() => socket.connect(), 500);
});
socket.on("session:ended", (data) => {
  signedOut = true;
  notice(T[data && data.reason === "deactivated" ? "session.deactivated" : "session.ended"]);
  for (const control of document.querySelectorAll("#console button, #console input, #console textarea, #console select")) {
    control.disabled = true;
  }
  setTimeout(() => location.assign("/login"), 1500);
});
socket.on("session:changed", (data) => sessionChanged(data.user));
socket.on("connect_error", (err) => {
  if (err && err.data && err.data.code === "unauthorized") location.assign("/login");
});
socket.on("queue:update", (data) => {
  renderQueue(data.waiting);
  loadOverview(); // every assignment and ending changes the queue or follows a change
});
socket.on("chat:assigned", (data) => chatArrived(data));
socket.on("chat:released", (data) => {
  removeChat(data.conversation_id);
  if (data.reason === "taken_over") notice(T["chat.taken_over"]);
});
socket.on("message:new", (data) => {
  const chat = chats.get(data.conversation_id);
  if (!chat || !appendMessage(chat, data)) return;
  if (data.sender !== "expert" || chat.watching) {
    if (!isActive(data.conversation_id) || document.hidden) chat.unread += 1;
    renderTab(chat);
    attention();
  }
});
socket.on("typing", (data) => {
  const chat = chats.get(data.conversation_id);
  if (!chat) return;
  chat.panel.querySelector(".chat-typing").hidden = !data.is_typing;
  clearTimeout(chat.typingTimer);
  if (data.is_typing) {
    chat.typingTimer = setTimeout(() => {
      chat.panel.querySelector(".chat-typing").hidden = true;
    }, 10000);
  }
});
socket.on("chat:ended", (data) => endChat(data.conversation_id, data));
socket.on("registration:pending", (data) => {
  addPending(data);
});
socket.on("alert:new", (data) => {
  addAlert(data);
  attention();
});
socket.on("alert:closed", (data) => alertClosed(data));
socket.on("alert:acked", (data) => {
  alertAcked(data);
  attention();
});

// -- presence ------------------------------------------------------------------------

async function setPresence(available) {
  const ack = await emit("presence:set", { available });
  if (!ack.ok) {
    showPresence(false);
    if (ack.error && ack.error.code === "not_on_shift") {
      $("shift-status").textContent = T["error.not_on_shift"];
      $("shift-status").className = "off";
    }
    return;
  }
  showPresence(ack.available);
}

// Say plainly what the server has: the box and a sentence, and whether the site is closed.
// Off shift nobody gets a chat, even with the box still on: never say "chats can come".
function showPresence(available) {
  const offShift = $("console").dataset.onShift !== "true";
  $("available").checked = available;
  const key = available ? (offShift ? "presence.on_off_shift" : "presence.on") : "presence.off";
  $("presence-status").textContent = T[key];
  $("presence-status").className = available && !offShift ? "presence-on" : "presence-off";
  refreshSiteStatus();
}

// The website tells visitors nobody can chat (GET /api/status: `unstaffed`, or `closed`
// outside the hours): say so, so that an expert who believes they are on knows they are not.
async function refreshSiteStatus() {
  try {
    const response = await fetch("/api/status", { credentials: "same-origin" });
    const status = await response.json();
    $("site-status").hidden = status.open !== false;
    $("site-status").textContent = T[status.state === "closed" ? "presence.site_closed" : "presence.site_unstaffed"];
  } catch (_) {
    // Offline: the connection notice already says so.
  }
}

// A shift that begins or ends while the page is open: the bar follows the roster (GET
// /api/me), so it never says "Je hebt nu dienst" after the shift is over.
function showShift(onShift) {
  const console_ = $("console");
  if ((console_.dataset.onShift === "true") === onShift) return;
  console_.dataset.onShift = String(onShift);
  $("shift-status").textContent = T[onShift ? "shift.on" : "shift.off"];
  $("shift-status").className = onShift ? "on" : "off";
  $("available").disabled = !onShift;
  showPresence($("available").checked);
}

async function refreshShift() {
  try {
    const response = await fetch("/api/me", { credentials: "same-origin", cache: "no-store" });
    const me = await response.json();
    if (me.ok && typeof me.on_shift === "boolean") showShift(me.on_shift);
  } catch (_) {
    // Offline: the connection notice already says so.
  }
}

$("available").addEventListener("change", () => setPresence($("available").checked));
socket.on("presence:changed", (data) => showPresence(data.available));
setInterval(() => {
  refreshSiteStatus();
  refreshShift();
}, 10000);

// -- the account changed (role, name, focus, capacity) -------------------------------

const RANK = { expert: 0, coordinator: 1, admin: 2 };

function sessionChanged(user) {
  const before = $("console").dataset.role;
  $("console").dataset.role = user.role;
  if ($("who")) $("who").textContent = user.display_name;
  const role = T["session.role." + user.role] || user.role;
  if (RANK[user.role] < RANK.coordinator && RANK[before] >= RANK.coordinator) {
    // The server has taken this console out of the coordinators' rooms already.
    for (const node of document.querySelectorAll(".coordinator-only")) node.remove();
    for (const [id, chat] of chats) if (chat.watching) removeChat(id);
    notice(fmt("session.role_lower", { role }));
  } else if (user.role !== before) {
    notice(fmt("session.role_higher", { role }));
  } else {
    notice(fmt("session.profile", { capacity: user.capacity }));
  }
}

// -- the queue -----------------------------------------------------------------------

let queue = [];

function renderQueue(waiting) {
  queue = waiting;
  const list = $("queue-list");
  list.replaceChildren();
  for (const entry of waiting) {
    const item = el("li", { className: "queue-item", dataset: { conversationId: entry.conversation_id } });
    item.append(el("span", { className: "audience" }, T["audience." + entry.audience] || entry.audience));
    item.append(el("span", { className: "waited" }, ""));
    const take = el("button", { type: "button", className: "take" }, T["queue.take"]);
    take.addEventListener("click", async () => {
      const ack = await emit("chat:accept", { conversation_id: entry.conversation_id });
      if (ack.ok) showChat(entry.conversation_id); // asked for: this one may take the panel
    });
    item.append(take);
    list.append(item);
  }
  $("queue-count").textContent = String(waiting.length);
  $("queue-empty").hidden = waiting.length > 0;
  tickQueue();
}

function tickQueue() {
  const now = Date.now();
  for (const item of $("queue-list").children) {
    const entry = queue.find((e) => e.conversation_id === item.dataset.conversationId);
    if (!entry) continue;
    const minutes = Math.max(0, Math.floor((now - Date.parse(entry.waiting_since)) / 60000));
    item.querySelector(".waited").textContent = fmt("queue.waiting", { m: minutes });
  }
}

setInterval(tickQueue, 15000);

loadQuickReplies();
loadRegistrations();
startMessageBox();
