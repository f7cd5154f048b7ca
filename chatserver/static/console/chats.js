// Chat tabs and panels: messages in seq order, typing, quick replies, hand-over, end.

import { updateTitle } from "./attention.js";
import { emit, socket } from "./live.js";
import { alertRaised } from "./myalerts.js";
import { $, T, api, el, fmt, newId, notice, timeOf } from "./util.js";

const TYPING_IDLE_MS = 3000;

/** conversation_id -> {conv, seqs, unread, tab, panel, ended, watching} */
export const chats = new Map();
let activeId = null;
let quickReplies = [];

/** Whether this chat's tab is the one shown. */
export function isActive(id) {
  return activeId === id;
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
  for (const message of data.messages || []) appendMessage(chat, message);
  if (data.transferred_from) {
    const note = chat.panel.querySelector(".chat-note");
    note.textContent = fmt("chat.transferred_in", { note: data.note || "—" });
    note.hidden = false;
  }
  renderTab(chat);
  if (focus || activeId === null) selectChat(data.conversation_id);
  $("chats-none").hidden = chats.size > 0;
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
  panel.querySelector(".chat-input-label").htmlFor = input.id;
  const audience = T["audience." + data.audience] || data.audience;
  const waited = Math.max(0, Math.round((Date.parse(data.assigned_at) - Date.parse(data.requested_at)) / 60000));
  panel.querySelector(".chat-meta").textContent =
    `${audience} · ${timeOf(data.requested_at)} · ${fmt("chat.waited", { m: waited })}`;
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
  const audience = T["audience." + chat.conv.audience] || chat.conv.audience;
  chat.tab.replaceChildren(el("span", {}, audience));
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
      renderTab(chat);
    }
  }
}

export function appendMessage(chat, message) {
  if (chat.seqs.has(message.seq)) return false;
  chat.seqs.add(message.seq);
  const log = chat.panel.querySelector(".chat-log");
  const item = el("li", { className: "msg " + message.sender, dataset: { seq: String(message.seq) } });
  const expert = chat.watching ? T["chat.expert"] : T["chat.you"];
  const who = message.sender === "expert" ? expert : T["chat.visitor"];
  item.append(el("span", { className: "who" }, `${who} · ${timeOf(message.sent_at)}`));
  item.append(el("span", { className: "body" }, message.body));
  const later = [...log.children].find((li) => Number(li.dataset.seq) > message.seq);
  log.insertBefore(item, later || null);
  log.scrollTop = log.scrollHeight;
  return true;
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
      appendMessage(chat, { seq: ack.seq, sender: "expert", body, sent_at: ack.sent_at });
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
    if (ack.ok) removeChat(id);
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
      endChat(id);
      notice(T["chat.blocked"]);
    }
  });
  panel.querySelector(".chat-end").addEventListener("click", async () => {
    if (chat.ended || chat.watching) {
      if (chat.watching && !chat.ended) emit("chat:unwatch", { conversation_id: id });
      removeChat(id);
      return;
    }
    const ack = await emit("chat:end", { conversation_id: id });
    if (ack.ok) endChat(id);
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

export function endChat(id) {
  const chat = chats.get(id);
  if (!chat || chat.ended) return;
  chat.ended = true;
  chat.panel.querySelector(".chat-ended").hidden = false;
  chat.panel.querySelector(".chat-typing").hidden = true;
  for (const control of chat.panel.querySelectorAll("textarea, input, select, .chat-send, .chat-transfer, .chat-alert")) {
    control.disabled = true;
  }
  chat.panel.querySelector(".chat-end").textContent = T["reg.cancel"];
  renderTab(chat);
}

export function removeChat(id) {
  const chat = chats.get(id);
  if (!chat) return;
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

function fillQuickReplies(select) {
  const options = [select.options[0]];
  for (const reply of quickReplies) options.push(el("option", { value: String(reply.id) }, reply.title));
  select.replaceChildren(...options);
}
