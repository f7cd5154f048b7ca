// Chat tabs and panels: messages in seq order, typing, quick replies, hand-over, end.
// A chat that arrives never takes the panel or the focus from the expert: it gets a tab
// with a badge, a tone and a count in the title. Unsent text is kept per chat (drafts.js).

import { attention, updateTitle } from "./attention.js";
import { clearDraft, clearDrafts, loadDraft, saveDraft } from "./drafts.js";
import { emit, socket } from "./live.js";
import { alertRaised } from "./myalerts.js";
import { $, ME, T, api, el, fmt, newId, notice, shortNumber, timeOf } from "./util.js";

const TYPING_IDLE_MS = 3000;

/** conversation_id -> {conv, seqs, unread, fresh, tab, panel, ended, watching} */
export const chats = new Map();
let activeId = null;
let quickReplies = [];

/** Whether this chat's tab is the one shown. */
export function isActive(id) {
  return activeId === id;
}

/** Unread messages plus chats not looked at yet: the count in the title. */
export function unreadCount() {
  let count = 0;
  for (const chat of chats.values()) count += chat.unread + (chat.fresh ? 1 : 0);
  return count;
}

function audienceOf(conv) {
  return T["audience." + conv.audience] || conv.audience;
}

/** "Slachtoffer #417 · 21:04": audience, short number and the visitor's start time. */
export function chatLabel(conv) {
  return `${audienceOf(conv)} ${shortNumber(conv.conversation_id)} · ${timeOf(conv.requested_at)}`;
}

/** A chat the server gave this expert (routed, accepted, handed over). */
export function chatArrived(data) {
  const known = chats.has(data.conversation_id);
  const chat = addChat(data, false);
  if (!known && !isActive(data.conversation_id)) {
    chat.fresh = true;
    renderTab(chat);
  }
  attention();
}

/** Show a chat the expert asked for (took it from the queue). */
export function showChat(id) {
  if (chats.has(id)) selectChat(id);
}

/** After a resync: chats this expert no longer holds go, and so do their drafts. */
export function keepOnly(heldIds) {
  for (const [id, chat] of chats) {
    if (!heldIds.has(id) && !chat.watching && !chat.ended) removeChat(id);
  }
  clearDrafts(new Set(chats.keys()));
}

export function addChat(data, focus, watching = false) {
  let chat = chats.get(data.conversation_id);
  if (!chat) {
    chat = buildChat(data);
    chats.set(data.conversation_id, chat);
    setWatching(chat, watching);
  } else if (chat.watching && !watching) {
    setWatching(chat, false); // taken over: from reading along to answering
  }
  chat.conv = data;
  if ("safety" in data) showSafety(chat.panel, data.safety);
  for (const message of data.messages || []) appendMessage(chat, message);
  if (data.transferred_from) {
    const note = chat.panel.querySelector(".chat-note");
    const from = (data.from_expert && data.from_expert.display_name) || T["chat.expert"];
    note.textContent = fmt("chat.transferred_in", { name: from, note: data.note || "—" });
    note.hidden = false;
  }
  renderTab(chat);
  if (focus || activeId === null) selectChat(data.conversation_id);
  $("chats-none").hidden = chats.size > 0;
  return chat;
}

/** The visitor's answer to the widget's safety check; unsure/unsafe: keep it short. */
export function showSafety(panel, safety) {
  const line = panel.querySelector(".chat-safety");
  const known = ["safe", "unsure", "unsafe"].includes(safety);
  line.textContent = known ? T["chat.safety." + safety] : "";
  if (known && safety !== "safe") line.append(el("span", { className: "safety-hint" }, " " + T["chat.safety.hint"]));
  line.className = "chat-safety" + (known && safety !== "safe" ? " at-risk" : "");
  line.hidden = !known;
}

function buildChat(data) {
  const id = data.conversation_id;
  const tab = el("button", {
    type: "button",
    role: "tab",
    className: "chat-tab",
    id: "tab-" + id,
    dataset: { conversationId: id },
  });
  tab.setAttribute("aria-controls", "panel-" + id);
  tab.addEventListener("click", () => selectChat(id));
  tab.addEventListener("keydown", tabKeys);
  const panel = $("chat-template").content.firstElementChild.cloneNode(true);
  panel.id = "panel-" + id;
  panel.dataset.conversationId = id;
  panel.setAttribute("aria-labelledby", tab.id);
  panel.hidden = true;
  const input = panel.querySelector(".chat-input");
  input.id = "input-" + id;
  input.value = loadDraft(id);
  panel.querySelector(".chat-input-label").htmlFor = input.id;
  const waited = Math.max(0, Math.round((Date.parse(data.assigned_at) - Date.parse(data.requested_at)) / 60000));
  const lang = T["chat.lang." + data.lang] || data.lang;
  panel.querySelector(".chat-meta").textContent =
    `${chatLabel(data)} · ${lang} · ${fmt("chat.waited", { m: waited })}`;
  $("chat-tabs").append(tab);
  $("chat-panels").append(panel);
  const chat = { conv: data, seqs: new Set(), unread: 0, tab, panel, ended: false };
  wirePanel(chat);
  return chat;
}

function tabKeys(event) {
  if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
  const tabs = [...$("chat-tabs").children];
  const index = tabs.indexOf(event.target);
  const next = tabs[(index + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
  selectChat(next.dataset.conversationId);
  next.focus();
}

export function renderTab(chat) {
  chat.tab.replaceChildren(el("span", { className: "tab-label" }, chatLabel(chat.conv)));
  if (chat.fresh) chat.tab.append(el("span", { className: "badge unread fresh" }, T["title.new"]));
  if (chat.unread) chat.tab.append(el("span", { className: "badge unread" }, String(chat.unread)));
  if (chat.ended) chat.tab.classList.add("ended");
  updateTitle();
}

function selectChat(id) {
  activeId = id;
  for (const [otherId, chat] of chats) {
    const selected = otherId === id;
    chat.panel.hidden = !selected;
    chat.tab.setAttribute("aria-selected", String(selected));
    chat.tab.tabIndex = selected ? 0 : -1;
    if (selected) {
      chat.unread = 0;
      chat.fresh = false;
      renderTab(chat);
    }
  }
}

export function appendMessage(chat, message) {
  if (chat.seqs.has(message.seq)) return false;
  chat.seqs.add(message.seq);
  const log = chat.panel.querySelector(".chat-log");
  const item = el("li", { className: "msg " + message.sender, dataset: { seq: String(message.seq) } });
  item.append(el("span", { className: "who" }, `${authorOf(chat, message)} · ${timeOf(message.sent_at)}`));
  item.append(el("span", { className: "body" }, message.body));
  const later = [...log.children].find((li) => Number(li.dataset.seq) > message.seq);
  log.insertBefore(item, later || null);
  log.scrollTop = log.scrollHeight;
  return true;
}

// "Jij" only for this user's own messages; a colleague's (before a hand-over, or the
// expert a coordinator reads along with) by their display name.
function authorOf(chat, message) {
  if (message.sender === "visitor") return T["chat.visitor"];
  if (message.sender !== "expert") return T["chat.system"];
  const expert = message.expert;
  if (expert && expert.id === ME && !chat.watching) return T["chat.you"];
  return (expert && expert.display_name) || T["chat.expert"];
}

function wirePanel(chat) {
  const id = chat.conv.conversation_id;
  const panel = chat.panel;
  const input = panel.querySelector(".chat-input");
  let typing = false;
  let typingTimer = null;

  const send = async () => {
    const body = input.value;
    if (!body.trim() || chat.ended) return;
    const clientId = newId();
    const ack = await emit("message:send", { conversation_id: id, client_id: clientId, body });
    if (ack.ok) {
      input.value = ""; // only now: a refused message stays in the field
      clearDraft(id);
      appendMessage(chat, { seq: ack.seq, sender: "expert", body, sent_at: ack.sent_at, expert: { id: ME } });
      stopTyping();
    }
  };
  const stopTyping = () => {
    clearTimeout(typingTimer);
    if (typing) {
      typing = false;
      socket.emit("typing", { conversation_id: id, is_typing: false }, () => {});
    }
  };
  panel.querySelector(".chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });
  input.addEventListener("input", () => {
    saveDraft(id, input.value);
    if (!typing && !chat.ended) {
      typing = true;
      socket.emit("typing", { conversation_id: id, is_typing: true }, () => {});
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  });
  const quick = panel.querySelector(".chat-quick");
  fillQuickReplies(quick);
  quick.addEventListener("change", () => {
    const reply = quickReplies.find((r) => String(r.id) === quick.value);
    if (reply) {
      input.value = input.value ? `${input.value} ${reply.body}` : reply.body;
      saveDraft(id, input.value);
      input.focus();
    }
    quick.value = "";
  });
  const target = panel.querySelector(".chat-transfer-to");
  target.addEventListener("focus", () => fillColleagues(target));
  panel.querySelector("details").addEventListener("toggle", () => fillColleagues(target));
  panel.querySelector(".chat-transfer").addEventListener("click", async () => {
    const payload = {
      conversation_id: id,
      note: panel.querySelector(".chat-transfer-note").value,
    };
    if (target.value) payload.to_expert_id = Number(target.value);
    const ack = await emit("chat:transfer", payload);
    if (ack.ok) {
      removeChat(id);
      notice(fmt("chat.transferred_to", { name: ack.to_expert.display_name }));
    }
  });
  panel.querySelector(".chat-alert").addEventListener("click", async () => {
    const note = panel.querySelector(".chat-alert-note");
    const ack = await emit("alert:raise", { conversation_id: id, note: note.value });
    if (ack.ok) {
      note.value = "";
      alertRaised(ack, id);
    }
  });
  panel.querySelector(".chat-block").addEventListener("click", async () => {
    if (chat.ended || !window.confirm(T["chat.block_confirm"])) return;
    const hashed_ip = panel.querySelector(".chat-block-address").checked;
    const ack = await emit("visitor:block", { conversation_id: id, hashed_ip });
    if (ack.ok) {
      endChat(id, { by: "expert", reason: "blocked" });
      notice(T["chat.blocked"]);
    }
  });
  panel.querySelector(".chat-end").addEventListener("click", async () => {
    if (chat.ended || chat.watching) {
      if (chat.watching && !chat.ended) emit("chat:unwatch", { conversation_id: id });
      removeChat(id);
      return;
    }
    if (!window.confirm(T["chat.end_confirm"])) return; // asked once; nothing else asks
    chat.endingHere = true; // its chat:ended may come before the ack
    const ack = await emit("chat:end", { conversation_id: id });
    chat.endingHere = false;
    if (ack.ok) endChat(id, { by: "expert", reason: "mine" });
  });
  panel.querySelector(".chat-register").addEventListener("click", () => {
    if (chat.openRegistration) chat.openRegistration();
  });
}

function setWatching(chat, watching) {
  chat.watching = watching;
  chat.panel.querySelector(".chat-watching").hidden = !watching;
  chat.panel.querySelector(".chat-end").textContent = watching ? T["chat.stop_watching"] : T["chat.end"];
  for (const control of chat.panel.querySelectorAll(".chat-form textarea, .chat-form select, .chat-send, details")) {
    if (control.tagName === "DETAILS") control.hidden = watching;
    else control.disabled = watching;
  }
}

/** The chat ended: say how (`chat:ended {by, reason}`), keep it readable, drop the draft. */
export function endChat(id, how = {}) {
  const chat = chats.get(id);
  if (!chat || chat.ended) return;
  chat.ended = true;
  clearDraft(id);
  const reason = chat.endingHere && how.reason === "expert_ended" ? "mine" : how.reason;
  const ended = chat.panel.querySelector(".chat-ended");
  ended.textContent = T["chat.ended." + reason] || T["chat.ended"];
  ended.hidden = false;
  chat.panel.querySelector(".chat-typing").hidden = true;
  for (const control of chat.panel.querySelectorAll("textarea, input, select, .chat-send, .chat-transfer, .chat-alert")) {
    control.disabled = true;
  }
  chat.panel.querySelector(".chat-end").textContent = T["reg.cancel"];
  renderTab(chat);
}

/** The ended chat's registration is pending: offer it in the panel (nothing pops up). */
export function offerRegistration(id, open) {
  const chat = chats.get(id);
  if (!chat) return;
  chat.openRegistration = open;
  chat.panel.querySelector(".chat-register").hidden = false;
}

/** The chat's registration was saved: the panel says so. */
export function registrationSaved(id) {
  const chat = chats.get(id);
  if (!chat) return;
  chat.openRegistration = null;
  const button = chat.panel.querySelector(".chat-register");
  button.hidden = true;
  const done = chat.panel.querySelector(".chat-registered");
  done.hidden = false;
}

export function removeChat(id) {
  const chat = chats.get(id);
  if (!chat) return;
  clearDraft(id);
  chat.tab.remove();
  chat.panel.remove();
  chats.delete(id);
  if (activeId === id) {
    activeId = null;
    const first = chats.keys().next();
    if (!first.done) selectChat(first.value);
  }
  $("chats-none").hidden = chats.size > 0;
  updateTitle();
}

async function fillColleagues(select) {
  const data = await api("GET", "/api/staff/online");
  if (!data.ok) return;
  const chosen = select.value;
  const options = [select.options[0]];
  for (const person of data.staff) {
    const label = `${person.display_name} (${person.load}/${person.capacity})`;
    options.push(el("option", { value: String(person.id) }, label));
  }
  select.replaceChildren(...options);
  select.value = chosen;
}

export async function loadQuickReplies() {
  const data = await api("GET", "/api/quick-replies");
  if (!data.ok) return;
  quickReplies = data.quick_replies;
  for (const chat of chats.values()) fillQuickReplies(chat.panel.querySelector(".chat-quick"));
}

// Quick replies added or deleted on their page reach every open console.
socket.on("quickreplies:changed", () => loadQuickReplies());
// Signed out elsewhere (deactivated): no draft outlives the session.
socket.on("session:ended", () => clearDrafts());

function fillQuickReplies(select) {
  const options = [select.options[0]];
  for (const reply of quickReplies) options.push(el("option", { value: String(reply.id) }, reply.title));
  select.replaceChildren(...options);
}
