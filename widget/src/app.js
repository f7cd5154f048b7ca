// The controller: one Widget per page. It owns the state (closed, intro, chat, ended),
// the connection, and the rules for focus, storage and the quick exit.
import { NO_CHAT, UNKNOWN, launcherText, opening } from "./availability.js";
import { Connection } from "./connection.js";
import { h, setText, show } from "./dom.js";
import { FeedbackAsk, asksFeedback } from "./feedback.js";
import { formatHours, formatOpening, formatTime, waitText } from "./format.js";
import { catalogue } from "./i18n/index.js";
import { MessageBox } from "./messagebox.js";
import { isRetryable, retryDelay, sleep } from "./retry.js";
import { watchEscape } from "./safety.js";
import { needsTips, resetSafety, safetyField } from "./safetycheck.js";
import { clearState, loadState, saveState } from "./storage.js";
import { adoptStyles, applyAccent } from "./theme.js";
import { Transcript } from "./transcript.js";
import { MAX_BODY, alternatives, buildWidget } from "./views.js";
import css from "./widget.css";

export const HOST_ID = "nabij-widget";
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MS = 8000;
const BOX_VIEWS = new Set(["leave", "code", "read"]);

export function mount(config) {
  const host = h("div", { id: HOST_ID });
  const root = host.attachShadow({ mode: "open" });
  adoptStyles(root, css);
  const t = catalogue(config.lang);
  const ui = buildWidget(t, config);
  root.append(ui.root);
  document.body.append(host);
  applyAccent(host, root, config.accent); // needs the host in the document to resolve it
  return new Widget(config, t, host, ui);
}

class Widget {
  constructor(config, t, host, ui) {
    Object.assign(this, { config, t, host, ui });
    this.view = "intro";
    this.conn = null;
    this.expertName = null; // unknown until chat:assigned or chat:resumed names the expert
    this.transcript = new Transcript(ui.log, t);
    this.opening = UNKNOWN;
    this.hours = [];
    this.box = new MessageBox(t, config, ui, this);
    this.feedback = new FeedbackAsk(t, ui, () => ui.views.ended.querySelector("h3").focus());
    this.wire();
    this.stopEscape = watchEscape(() => this.quickExit(), () => this.escapeOnce());
    this.refreshStatus();
    const stored = loadState();
    if (stored) this.resume(stored);
  }

  wire() {
    const { ui } = this;
    ui.launcher.addEventListener("click", () => this.open());
    ui.hide.addEventListener("click", () => this.hide());
    ui.exit.addEventListener("click", () => this.quickExit());
    ui.introForm.addEventListener("submit", (e) => {
      e.preventDefault();
      this.askSafety();
    });
    this.wireSafety();
    ui.composer.addEventListener("submit", (e) => {
      e.preventDefault();
      this.sendMessage();
    });
    ui.message.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendMessage();
      }
    });
    ui.message.addEventListener("input", () => this.typed());
    ui.end.addEventListener("click", () => this.askEnd(true));
    ui.cancelEnd.addEventListener("click", () => this.askEnd(false));
    ui.confirmEnd.addEventListener("click", () => this.endChat());
    ui.newChat.addEventListener("click", () => {
      this.feedback.close(true);
      this.showStart(true);
      this.refreshStatus(); // it may have closed during the chat that just ended
    });
    ui.tryAgain.addEventListener("click", () => this.refreshStatus(true));
    ui.close.addEventListener("click", () => this.hide());
  }

  wireSafety() {
    const { ui } = this;
    for (const button of ui.safetyButtons) {
      button.addEventListener("click", () => this.safetyAnswered(button.dataset.answer));
    }
    ui.safetySkip.addEventListener("click", () => this.startChat(undefined));
    ui.safetyStart.addEventListener("click", () => this.startChat(this.safety));
  }

  // -- the panel --------------------------------------------------------------------

  isOpen() {
    return !this.ui.panel.hidden;
  }

  open() {
    if (this.view === "intro" || this.view === "closed") {
      this.showStart(false);
      this.refreshStatus(); // the page may have been open for hours
      this.countOpen();
    }
    show(this.ui.panel, true);
    show(this.ui.launcher, false);
    this.ui.root.classList.add("expanded");
    this.ui.launcher.setAttribute("aria-expanded", "true");
    this.unread = false;
    this.updateLauncher();
    this.remember();
    this.focusView();
  }

  // Once per page view, for the team's figures: the server stores only the hour.
  countOpen() {
    if (this.counted) return;
    this.counted = true;
    fetch(`${this.config.origin}/api/events/widget-open`, {
      method: "POST",
      credentials: "omit",
      referrerPolicy: "no-referrer",
      keepalive: true,
    }).catch(() => {});
  }

  hide() {
    show(this.ui.panel, false);
    show(this.ui.launcher, true);
    this.ui.root.classList.remove("expanded");
    this.ui.launcher.setAttribute("aria-expanded", "false");
    this.updateLauncher();
    this.remember();
    this.ui.launcher.focus();
  }

  focusView() {
    if (this.view === "chat") this.ui.message.focus();
    else this.ui.title.focus();
  }

  isBoxView() {
    return BOX_VIEWS.has(this.view) && this.host.isConnected;
  }

  setView(name) {
    this.view = name;
    this.ui.panel.classList.toggle("chatting", name === "chat");
    for (const [key, el] of Object.entries(this.ui.views)) show(el, key === name);
  }

  notice(text) {
    setText(this.ui.notice, text);
  }

  remember() {
    if (this.conn && this.conn.token) saveState({ token: this.conn.token, open: this.isOpen() });
  }

  // -- open or closed -----------------------------------------------------------------

  async refreshStatus(focus = false) {
    try {
      const response = await fetch(`${this.config.origin}/api/status`, {
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      });
      const status = await response.json();
      this.opening = opening(status);
      this.hours = Array.isArray(status.opening_hours) ? status.opening_hours : [];
    } catch {
      this.opening = UNKNOWN;
    }
    this.updateLauncher();
    if (this.view === "intro" || this.view === "closed") this.showStart(focus);
  }

  // The launcher says whether one can chat now (and if not, why), or, during a chat,
  // whether a message came in while the panel was hidden.
  updateLauncher() {
    const { state } = this.opening;
    const { t, ui } = this;
    let text = launcherText(t, state);
    if (this.conn) text = this.unread ? t.launcherUnread : t.launcherActive;
    ui.launcherState.textContent = text;
    const closed = NO_CHAT.has(state);
    ui.launcher.classList.toggle("is-open", !!this.conn || (state !== null && !closed));
    ui.launcher.classList.toggle("is-closed", !this.conn && closed);
    ui.launcher.classList.toggle("is-unread", !!this.conn && this.unread);
  }

  showStart(focus) {
    if (NO_CHAT.has(this.opening.state)) this.showClosed();
    else this.showIntro();
    if (focus) this.focusView();
  }

  showIntro() {
    const busy = this.opening.state === "busy";
    show(this.ui.busyNote, busy);
    const { waiting, wait } = this.opening;
    const note = [this.t.busyNote(waiting), waitText(wait, this.t)].filter(Boolean).join(" ");
    this.ui.busyNote.textContent = busy ? note : "";
    this.setView("intro");
  }

  // Closed: when we are back. Unstaffed: within the hours, nobody free; try again soon.
  showClosed() {
    const { t, ui } = this;
    const unstaffed = this.opening.state === "unstaffed";
    ui.closedTitle.textContent = unstaffed ? t.unstaffedTitle : t.closedTitle;
    show(ui.tryAgain, unstaffed);
    const when = formatOpening(this.opening.next, t);
    ui.nextOpening.textContent = unstaffed
      ? t.unstaffedText(formatTime(this.opening.until, t))
      : when
        ? t.nextOpening(when)
        : t.noOpening;
    this.ui.closedAlternatives.replaceChildren(...alternatives(this.t, this.config));
    const hours = this.hours.map((w) => formatHours(w, this.t)).filter(Boolean);
    this.ui.hours.replaceChildren(...hours.map((text) => h("li", { text })));
    this.ui.hours.hidden = this.ui.hoursTitle.hidden = !hours.length;
    this.setView("closed");
  }

  // -- the safety check, between the audience choice and the chat --------------------

  askSafety() {
    this.safety = undefined;
    resetSafety(this.ui);
    this.setView("safety");
    this.ui.safetyTitle.focus();
  }

  safetyAnswered(answer) {
    this.safety = safetyField(answer);
    if (!needsTips(answer)) return this.startChat(this.safety);
    show(this.ui.safetyAsk, false);
    show(this.ui.safetyTips, true);
    this.ui.tipsTitle.focus();
  }

  // -- a new chat, or the same one after a reload -------------------------------------

  async startChat(safety) {
    const audience = this.ui.audience.querySelector("input:checked");
    const nickname = this.ui.nickname.value.trim();
    setText(this.ui.introError, "");
    this.beginChat(null);
    this.ui.status.textContent = this.t.connecting;
    const ack = await this.requestChat(audience ? audience.value : "unknown", safetyField(safety));
    if (!this.conn) return; // left (quick exit) while waiting for a retry
    if (ack.ok) return this.accepted(ack, nickname);
    this.conn.close();
    this.conn = null;
    const { code } = ack.error;
    if (code === "closed") {
      this.opening = opening(ack);
      this.updateLauncher(); // the launcher said "nu open" until the panel was hidden
      this.showClosed();
    } else {
      this.setView("intro");
      const limited = code === "rate_limited" ? "rateLimited" : "failed";
      setText(this.ui.introError, this.t[isRetryable(code) ? "unavailableLater" : limited]);
    }
    this.focusView();
  }

  // Ask for a chat, retrying `draining` and `temporarily_unavailable` with a bounded
  // backoff. A draining process is about to close its sockets: retry on a new one, which
  // the load balancer sends to another process.
  async requestChat(audience, safety) {
    for (let attempt = 0; ; attempt += 1) {
      const conn = this.conn;
      const ack = await conn.request(audience, this.config.lang, safety);
      const delay = retryDelay(ack, attempt);
      if (delay === null || conn !== this.conn) return ack;
      if (ack.error.code === "temporarily_unavailable") this.notice(this.t.unavailable);
      await sleep(delay);
      if (conn !== this.conn) return ack;
      if (ack.error.code === "draining") {
        conn.close();
        this.conn = new Connection(this.config.origin, null, this.handlers());
      }
      this.notice("");
    }
  }

  accepted(ack, nickname) {
    this.ui.nickname.value = "";
    this.remember();
    if (ack.position > 0 && !this.assigned) this.queued(ack); // chat:assigned may come first
    if (nickname) this.post(this.t.nicknameMessage(nickname));
  }

  resume(stored) {
    this.beginChat(stored.token);
    this.ui.status.textContent = this.t.connecting;
    if (stored.open) this.open();
  }

  beginChat(token) {
    this.transcript.clear();
    show(this.ui.end, true);
    show(this.ui.confirm, false);
    this.assigned = false;
    this.wasAssigned = false; // an expert had this chat at some point: it may ask for feedback
    this.expertName = null;
    show(this.ui.waitHint, false);
    this.setView("chat");
    this.conn = new Connection(this.config.origin, token, this.handlers());
    if (this.isOpen()) this.focusView();
  }

  handlers() {
    return {
      online: () => this.notice(""),
      offline: () => this.view === "chat" && this.notice(this.t.reconnecting),
      refused: () => this.gone(),
      message: (m) => this.received(m),
      ack: (clientId, ack) => this.transcript.acked(clientId, ack),
      "chat:queued": (data) => this.queued(data), // also after the expert's grace ran out
      "chat:assigned": (data) => this.assign(data.expert && data.expert.display_name),
      "chat:resumed": (data) => this.resumed(data),
      typing: (data) => this.expertTyping(data.is_typing === true),
      "chat:ended": (data) => this.ended(data.by, data.reason),
    };
  }

  gone() {
    this.dropConnection();
    this.showStart(false);
    this.notice(this.t.gone);
    if (this.isOpen()) this.focusView();
  }

  resumed(data) {
    if (data.state === "active") this.assign(data.expert && data.expert.display_name);
    else if (data.state === "waiting" && data.position) this.queued({ position: data.position });
  }

  queued(data) {
    this.assigned = false;
    const wait = waitText(data.wait_range_min, this.t);
    this.ui.status.textContent = [this.t.queued(data.position), wait].filter(Boolean).join(" ");
    show(this.ui.waitHint, true);
  }

  assign(name) {
    this.assigned = true;
    this.wasAssigned = true;
    this.expertName = name || null;
    if (name) this.transcript.named(name);
    this.ui.status.textContent = this.t.assigned(this.expertLabel());
    show(this.ui.waitHint, false);
  }

  // -- messages ---------------------------------------------------------------------

  sendMessage() {
    const body = this.ui.message.value;
    if (!body.trim() || !this.conn) return;
    this.post(body);
    this.ui.message.value = "";
    this.updateCounter();
    this.stopTyping();
  }

  post(body) {
    this.transcript.sent(this.conn.send(body), body);
  }

  received(message) {
    this.transcript.received(message, this.expertName);
    if (message.sender === "visitor") return;
    this.expertTyping(false);
    this.unread = !this.isOpen();
    this.updateLauncher();
  }

  updateCounter() {
    this.ui.counter.textContent = this.t.counter(this.ui.message.value.length, MAX_BODY);
  }

  typed() {
    this.updateCounter();
    if (!this.conn || !this.assigned) return;
    if (!this.typingSent) this.conn.typing(true);
    this.typingSent = true;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping() {
    clearTimeout(this.typingTimer);
    if (this.typingSent && this.conn) this.conn.typing(false);
    this.typingSent = false;
  }

  expertLabel() {
    return this.expertName || this.t.expert;
  }

  expertTyping(isTyping) {
    clearTimeout(this.shownTimer);
    setText(this.ui.typing, isTyping ? this.t.typing(this.expertLabel()) : "");
    if (isTyping) this.shownTimer = setTimeout(() => this.expertTyping(false), TYPING_SHOWN_MS);
  }

  // -- the end ----------------------------------------------------------------------

  // Ending cannot be undone (the conversation is anonymous), so it takes a second step;
  // the focus goes to "no", the safe answer.
  askEnd(asking) {
    show(this.ui.end, !asking);
    show(this.ui.confirm, asking);
    (asking ? this.ui.cancelEnd : this.ui.end).focus();
  }

  async endChat() {
    if (!this.conn) return;
    const ack = await this.conn.end();
    if (this.view === "chat" && (ack.ok || ack.error.code === "not_found")) this.ended("visitor");
  }

  ended(by, reason) {
    if (this.view !== "chat") return;
    const text = this.t.endedBy;
    const system = text[reason] || text.other;
    this.ui.endedReason.textContent =
      by === "visitor" ? text.visitor : by === "expert" ? text.expert(this.expertLabel()) : system;
    this.ui.endedAlternatives.replaceChildren(...alternatives(this.t, this.config));
    const keep = asksFeedback(this.wasAssigned, by) ? this.conn : null;
    if (keep) this.conn = null; // the chat is over: only feedback:send may still go out
    this.dropConnection();
    this.setView("ended");
    this.feedback.offer(keep);
    if (this.isOpen()) this.ui.views.ended.querySelector("h3").focus();
  }

  // Forget the conversation here: no token, no text left in the page.
  dropConnection() {
    this.stopTyping();
    this.expertTyping(false);
    if (this.conn) this.conn.close();
    this.conn = null;
    clearState();
    this.transcript.clear();
    this.ui.status.textContent = "";
    this.notice("");
    this.unread = false;
    this.updateLauncher();
  }

  // -- safety -----------------------------------------------------------------------

  escapeOnce() {
    if (this.isOpen() && document.activeElement === this.host) this.hide();
  }

  quickExit() {
    if (this.conn) this.conn.abandon();
    this.conn = null;
    clearState();
    this.box.clear();
    this.destroy();
    location.replace(this.config.exitUrl);
  }

  // Take the widget off the page (the stored token stays, so a new mount resumes).
  destroy() {
    this.stopEscape();
    clearTimeout(this.typingTimer);
    clearTimeout(this.shownTimer);
    this.feedback.close(true);
    this.box.clear();
    if (this.conn) this.conn.close();
    this.conn = null;
    this.host.remove();
  }
}
