// Nabij staff console: the live parts over Socket.IO namespace /staff, the rest over the
// JSON API. No framework and no build step. Everything received is rendered with
// textContent (never parsed as HTML), so script or markup in a message stays text.
"use strict";

(() => {
  const root = document.getElementById("console");
  if (!root) return;

  const T = JSON.parse(document.getElementById("console-texts").textContent);
  const LABELS = JSON.parse(document.getElementById("console-labels").textContent);
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const ME = Number(root.dataset.userId);
  const BASE_TITLE = document.title;
  const TYPING_IDLE_MS = 3000;

  const $ = (id) => document.getElementById(id);
  const chats = new Map(); // conversation_id -> {conv, seqs, unread, tab, panel, ended}
  const pending = new Map(); // registration id -> registration
  let activeId = null;
  let quickReplies = [];
  let unseen = 0;
  let regEditing = null; // {id} for PUT, or null for POST (a contact by hand)
  const drafts = new Map(); // registration id or "new" -> what was typed before closing

  // -- small helpers -------------------------------------------------------------------

  function el(tag, props = {}, text = "") {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    if (text) node.textContent = text;
    return node;
  }

  function fmt(key, values = {}) {
    return (T[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  }

  function notice(text) {
    $("notice").textContent = text;
  }

  function errorText(ack) {
    const code = ack && ack.error ? ack.error.code : "";
    return T["error." + code] || T.error;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function timeOf(iso) {
    const date = new Date(iso);
    return date.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }

  async function api(method, url, body) {
    const options = {
      method,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": CSRF, Accept: "application/json" },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    if (response.status === 401) location.assign("/login");
    let data = {};
    try {
      data = await response.json();
    } catch (_) {
      data = { ok: false, error: { code: "internal" } };
    }
    return data;
  }

  // -- attention: sound and title --------------------------------------------------------

  let audio = null;

  function beep() {
    if ($("mute").checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 660;
      gain.gain.setValueAtTime(0.001, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.4);
    } catch (_) {
      // No audio device: the title still tells.
    }
  }

  function attention() {
    if (document.hidden || !document.hasFocus()) unseen += 1;
    updateTitle();
    beep();
  }

  function updateTitle() {
    let unread = unseen;
    for (const chat of chats.values()) unread += chat.unread;
    document.title = unread ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE;
  }

  function seen() {
    unseen = 0;
    updateTitle();
  }

  window.addEventListener("focus", seen);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) seen();
  });
  $("mute").checked = localStorage.getItem("nabij.console.mute") === "1";
  $("mute").addEventListener("change", () => {
    localStorage.setItem("nabij.console.mute", $("mute").checked ? "1" : "0");
  });

  // -- the socket ----------------------------------------------------------------------

  const socket = io("/staff", { transports: ["websocket"] });

  socket.on("connect", async () => {
    notice("");
    const sync = await socket.emitWithAck("chats:sync");
    if (sync.ok) {
      renderQueue(sync.waiting);
      for (const chat of sync.chats) addChat(chat, false);
      // A chat that went back to the queue while this console was away is no longer ours.
      const held = new Set(sync.chats.map((c) => c.conversation_id));
      for (const [id, chat] of chats) {
        if (!held.has(id) && !chat.watching && !chat.ended) removeChat(id);
      }
    }
    if ($("available").checked) await setPresence(true);
    loadOverview();
  });
  socket.on("disconnect", () => notice(T["connection.lost"]));
  socket.on("connect_error", (err) => {
    if (err && err.data && err.data.code === "unauthorized") location.assign("/login");
  });
  socket.on("queue:update", (data) => {
    renderQueue(data.waiting);
    loadOverview(); // every assignment and ending changes the queue or follows a change
  });
  socket.on("chat:assigned", (data) => {
    addChat(data, true);
    attention();
  });
  socket.on("chat:released", (data) => {
    removeChat(data.conversation_id);
    if (data.reason === "taken_over") notice(T["chat.taken_over"]);
  });
  socket.on("message:new", (data) => {
    const chat = chats.get(data.conversation_id);
    if (!chat || !appendMessage(chat, data)) return;
    if (data.sender !== "expert" || chat.watching) {
      if (activeId !== data.conversation_id || document.hidden) chat.unread += 1;
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
  socket.on("chat:ended", (data) => endChat(data.conversation_id));
  socket.on("registration:pending", (data) => {
    pending.set(data.registration_id, data.prefill);
    renderPending();
    if (!$("reg-dialog").open) openRegistration(data.prefill);
  });
  socket.on("alert:new", (data) => {
    addAlert(data);
    attention();
  });

  async function emit(event, payload) {
    try {
      const ack = await socket.timeout(8000).emitWithAck(event, payload);
      if (!ack.ok) {
        notice(errorText(ack));
        if (ack.error && ack.error.code === "unauthorized") location.assign("/login");
      }
      return ack;
    } catch (_) {
      notice(T.error);
      return { ok: false, error: { code: "internal" } };
    }
  }

  // -- presence ------------------------------------------------------------------------

  async function setPresence(available) {
    const ack = await emit("presence:set", { available });
    if (!ack.ok) {
      $("available").checked = false;
      if (ack.error && ack.error.code === "not_on_shift") {
        $("shift-status").textContent = T["error.not_on_shift"];
        $("shift-status").className = "off";
      }
    }
  }

  $("available").addEventListener("change", () => setPresence($("available").checked));

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
      take.addEventListener("click", () => emit("chat:accept", { conversation_id: entry.conversation_id }));
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

  // -- chats ---------------------------------------------------------------------------

  function addChat(data, focus, watching = false) {
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

  function renderTab(chat) {
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

  function appendMessage(chat, message) {
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
        notice(T["chat.alert_sent"]);
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

  function endChat(id) {
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

  function removeChat(id) {
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

  async function loadQuickReplies() {
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

  // -- alerts (coordinators) -------------------------------------------------------------

  function addAlert(alert) {
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

  function loadOverview() {
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

  // -- registrations -------------------------------------------------------------------

  const REG = $("reg-form");
  const TEXT_FIELDS = ["contact_date", "duration_minutes", "contact_type", "first_or_followup",
    "contact_seeker", "referral", "referral_other", "advised_help_other"];
  const LIST_FIELDS = ["support", "advised_help"];

  function regLine(reg) {
    const type = (LABELS.contact_type || {})[reg.contact_type] || reg.contact_type || "";
    return `${reg.contact_date} · ${type} · ${reg.duration_minutes} min`;
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

  async function loadRegistrations() {
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

  function openRegistration(reg) {
    regEditing = reg && reg.id ? { id: reg.id } : null;
    clearErrors();
    REG.reset();
    const fresh = reg || { contact_date: new Date().toLocaleDateString("sv-SE"), duration_minutes: "" };
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
      if (span) span.textContent = message;
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

  loadQuickReplies();
  loadRegistrations();
})();
