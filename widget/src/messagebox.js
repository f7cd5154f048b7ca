// The message box ("Laat een bericht achter"): when nobody can chat, the visitor leaves a
// message over HTTP and gets a pickup code, shown once; with the code they read our
// answer later, reply once more or close (and so delete) the thread. The widget stores
// nothing: the code lives in memory only while the reading view is open.
import { h, setText, show } from "./dom.js";
import { formatOpening } from "./format.js";

export const MAX_MESSAGE = 2000; // the server's limit for a message box text
const AUDIENCES = ["victim", "perpetrator", "relative", "professional", "unknown"];

/** A code as typed (any case, spaces or dashes between the parts) in its one written form. */
export function normalizeCode(text) {
  return String(text || "")
    .trim()
    .toLowerCase()
    .replace(/[\s\-_.]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The text to show for a refusal, at `field` when the server named that field. */
export function errorText(t, error, field) {
  const code = error && error.code;
  const fields = (error && error.fields) || {};
  // The server names the field in English; our own words for it, where we have them.
  if (code === "invalid" && field && typeof fields[field] === "string") {
    return t.boxErrors[`invalid_${field}`] || fields[field];
  }
  return t.boxErrors[code] || t.boxErrors.other;
}

/** POST JSON to the server; a network failure or an unreadable answer reads as `unavailable`. */
export async function post(origin, path, body) {
  try {
    const response = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      referrerPolicy: "no-referrer",
      cache: "no-store",
    });
    const answer = await response.json();
    if (answer && typeof answer.ok === "boolean" && (answer.ok || answer.error)) return answer;
  } catch {
    /* offline, blocked or not JSON: said below */
  }
  return { ok: false, error: { code: "unavailable" } };
}

export class MessageBox {
  constructor(t, config, ui, widget) {
    Object.assign(this, { t, config, ui, widget });
    this.code = null;
    this.busy = false;
    this.wire();
  }

  wire() {
    const { ui } = this;
    ui.boxLeave.addEventListener("click", () => this.showLeave());
    ui.boxHaveCode.addEventListener("click", () => this.showRead());
    ui.introHaveCode.addEventListener("click", () => this.showRead());
    for (const back of ui.boxBacks) back.addEventListener("click", () => this.back());
    ui.boxDone.addEventListener("click", () => this.back());
    ui.boxBody.addEventListener("input", () => this.count());
    ui.leaveForm.addEventListener("submit", (e) => this.submit(e, () => this.leave()));
    ui.codeForm.addEventListener("submit", (e) => this.submit(e, () => this.read()));
    ui.replyForm.addEventListener("submit", (e) => this.submit(e, () => this.reply()));
    ui.boxClose.addEventListener("click", () => this.askClose(true));
    ui.boxCloseNo.addEventListener("click", () => this.askClose(false));
    ui.boxCloseYes.addEventListener("click", () => this.submit(null, () => this.closeThread()));
  }

  // One request at a time: a double tap must not leave the message twice.
  async submit(event, action) {
    if (event) event.preventDefault();
    if (this.busy) return;
    this.busy = true;
    try {
      await action();
    } finally {
      this.busy = false;
    }
  }

  showLeave() {
    this.clear();
    this.widget.setView("leave");
    this.ui.leaveTitle.focus();
  }

  showRead() {
    this.clear();
    this.widget.setView("read");
    this.ui.readTitle.focus();
  }

  back() {
    this.clear();
    this.widget.showStart(true);
  }

  count() {
    this.ui.boxCounter.textContent = this.t.counter(this.ui.boxBody.value.length, MAX_MESSAGE);
  }

  async leave() {
    const { ui, t } = this;
    const body = ui.boxBody.value;
    setText(ui.leaveError, "");
    if (!body.trim()) return this.fail(ui.leaveError, t.boxErrors.empty, ui.boxBody);
    const audience = ui.boxAudience.querySelector("input:checked");
    const payload = { audience: audience ? audience.value : "unknown", lang: this.config.lang, body };
    const answer = await post(this.config.origin, "/api/messages", payload);
    if (!this.widget.isBoxView()) return; // left meanwhile (quick exit, hide, back)
    if (!answer.ok) return this.fail(ui.leaveError, errorText(t, answer.error, "body"), ui.boxBody);
    this.clear();
    ui.codeValue.textContent = String(answer.code);
    this.widget.setView("code");
    ui.codeTitle.focus();
  }

  async read() {
    const { ui, t } = this;
    const code = normalizeCode(ui.codeInput.value);
    setText(ui.codeError, "");
    if (!code) return this.fail(ui.codeError, t.boxErrors.emptyCode, ui.codeInput);
    const answer = await post(this.config.origin, "/api/messages/thread", { code });
    if (!this.widget.isBoxView()) return;
    if (!answer.ok) return this.fail(ui.codeError, errorText(t, answer.error, "code"), ui.codeInput);
    this.code = code;
    ui.codeInput.value = "";
    show(ui.codeForm, false);
    this.showThread(answer.thread);
    ui.threadTitle.focus();
  }

  async reply() {
    const { ui, t } = this;
    const body = ui.replyBody.value;
    setText(ui.replyError, "");
    if (!body.trim()) return this.fail(ui.replyError, t.boxErrors.empty, ui.replyBody);
    const answer = await post(this.config.origin, "/api/messages/reply", { code: this.code, body });
    if (!this.code) return;
    if (!answer.ok) return this.fail(ui.replyError, errorText(t, answer.error, "body"), ui.replyBody);
    ui.replyBody.value = "";
    this.showThread(answer.thread);
    ui.threadTitle.focus();
  }

  askClose(asking) {
    show(this.ui.boxClose, !asking);
    show(this.ui.closeConfirm, asking);
    (asking ? this.ui.boxCloseNo : this.ui.boxClose).focus();
  }

  async closeThread() {
    const { ui, t } = this;
    const answer = await post(this.config.origin, "/api/messages/close", { code: this.code });
    if (!this.code) return;
    if (!answer.ok && answer.error.code !== "not_found") {
      return this.fail(ui.closeError, errorText(t, answer.error), ui.boxCloseYes);
    }
    this.clear();
    show(ui.codeForm, false);
    setText(ui.boxClosedNote, t.boxClosed);
    ui.boxClosedNote.focus();
  }

  fail(where, text, field) {
    setText(where, text);
    field.focus();
  }

  showThread(thread) {
    const { ui, t } = this;
    const messages = Array.isArray(thread && thread.messages) ? thread.messages : [];
    ui.threadState.textContent = thread && thread.state === "answered" ? t.boxAnswered : t.boxWaiting;
    ui.threadList.replaceChildren(...messages.map((m) => threadItem(t, m)));
    show(ui.replyForm, !!(thread && thread.may_reply));
    show(ui.thread, true);
    this.askClose(false);
    ui.threadTitle.focus();
  }

  /** Forget everything: the code, what was typed, the thread. Also on the quick exit. */
  clear() {
    const { ui, t } = this;
    this.code = null;
    for (const field of [ui.boxBody, ui.codeInput, ui.replyBody]) field.value = "";
    ui.codeValue.textContent = "";
    ui.threadList.replaceChildren();
    ui.threadState.textContent = "";
    for (const el of [ui.leaveError, ui.codeError, ui.replyError, ui.closeError, ui.boxClosedNote]) setText(el, "");
    show(ui.thread, false);
    show(ui.codeForm, true);
    show(ui.closeConfirm, false);
    show(ui.boxClose, true);
    ui.boxCounter.textContent = t.counter(0, MAX_MESSAGE);
  }
}

function threadItem(t, message) {
  const mine = message.sender === "visitor";
  const who = mine ? t.you : message.display_name || t.expert;
  const when = formatOpening(message.sent_at, t);
  return h(
    "li",
    { class: mine ? "msg mine" : "msg theirs" },
    h("p", { class: "who", text: who }),
    h("p", { class: "text", text: String(message.body || "") }),
    when ? h("p", { class: "meta", text: when }) : null,
  );
}

// -- the views ------------------------------------------------------------------------

export function boxButtons(t, ui) {
  ui.boxLeave = h("button", { type: "button", class: "primary box-leave", text: t.boxLeave });
  ui.boxHaveCode = h("button", { type: "button", class: "secondary box-code", text: t.boxHaveCode });
  return h("div", { class: "actions box-actions" }, ui.boxLeave, ui.boxHaveCode);
}

function backButton(t, ui) {
  const button = h("button", { type: "button", class: "secondary back", text: t.boxBack });
  ui.boxBacks.push(button);
  return button;
}

function textField(ui, key, id, label, describedBy) {
  ui[key] = h("textarea", { id, rows: "4", maxlength: String(MAX_MESSAGE), "aria-describedby": describedBy });
  return [h("label", { for: id, text: label }), ui[key]];
}

export function leaveView(t, ui) {
  ui.boxBacks = ui.boxBacks || [];
  ui.leaveTitle = h("h3", { id: "nabij-leave-title", tabindex: "-1", text: t.boxLeaveTitle });
  ui.boxAudience = h(
    "fieldset",
    { class: "audience" },
    h("legend", { text: t.audienceLegend }),
    ...AUDIENCES.map((code) => {
      const id = `nabij-box-audience-${code}`;
      const input = h("input", { type: "radio", name: "box-audience", id, value: code, checked: code === "unknown" });
      return h("div", { class: "choice" }, input, h("label", { for: id, text: t.audiences[code] }));
    }),
  );
  ui.boxCounter = h("p", { id: "nabij-box-counter", class: "counter", text: t.counter(0, MAX_MESSAGE) });
  ui.leaveError = h("p", { id: "nabij-leave-error", class: "error", role: "alert", hidden: true });
  ui.leaveForm = h(
    "form",
    { class: "leave-form", novalidate: true },
    ui.boxAudience,
    ...textField(ui, "boxBody", "nabij-box-body", t.boxBodyLabel, "nabij-box-counter nabij-leave-error"),
    ui.boxCounter,
    ui.leaveError,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", text: t.boxSend }), backButton(t, ui)),
  );
  const section = { class: "view leave", hidden: true, "aria-labelledby": "nabij-leave-title" };
  return h("section", section, ui.leaveTitle, h("p", { text: t.boxLeaveIntro }), ui.leaveForm);
}

export function codeView(t, ui) {
  ui.codeTitle = h("h3", { id: "nabij-code-title", tabindex: "-1", text: t.boxCodeTitle });
  ui.codeValue = h("p", { class: "pickup-code", "aria-describedby": "nabij-code-steps" });
  ui.boxDone = h("button", { type: "button", class: "primary", text: t.boxDone });
  return h(
    "section",
    { class: "view code", hidden: true, "aria-labelledby": "nabij-code-title" },
    ui.codeTitle,
    ui.codeValue,
    h("ul", { id: "nabij-code-steps", class: "steps" }, ...t.boxCodeSteps.map((text) => h("li", { text }))),
    ui.boxDone,
  );
}

export function readView(t, ui) {
  ui.boxBacks = ui.boxBacks || [];
  ui.readTitle = h("h3", { id: "nabij-read-title", tabindex: "-1", text: t.boxReadTitle });
  ui.codeInput = h("input", {
    id: "nabij-code",
    type: "text",
    autocomplete: "off",
    autocapitalize: "none",
    spellcheck: "false",
    "aria-describedby": "nabij-code-hint nabij-code-error",
  });
  ui.codeError = h("p", { id: "nabij-code-error", class: "error", role: "alert", hidden: true });
  ui.codeForm = h(
    "form",
    { class: "code-form", novalidate: true },
    h("label", { for: "nabij-code", text: t.boxCodeLabel }),
    ui.codeInput,
    h("p", { id: "nabij-code-hint", class: "hint", text: t.boxCodeHint }),
    ui.codeError,
    h("button", { type: "submit", class: "primary", text: t.boxOpen }),
  );
  ui.boxClosedNote = h("p", { class: "closed-note", role: "status", tabindex: "-1", hidden: true });
  const section = { class: "view read", hidden: true, "aria-labelledby": "nabij-read-title" };
  const back = h("div", { class: "actions back-row" }, backButton(t, ui));
  return h("section", section, ui.readTitle, ui.codeForm, threadPart(t, ui), ui.boxClosedNote, back);
}

function threadPart(t, ui) {
  ui.threadTitle = h("p", { class: "thread-state", tabindex: "-1" });
  ui.threadState = ui.threadTitle;
  ui.threadList = h("ul", { class: "thread", "aria-label": t.boxReadTitle });
  ui.replyError = h("p", { id: "nabij-reply-error", class: "error", role: "alert", hidden: true });
  ui.replyForm = h(
    "form",
    { class: "reply-form", novalidate: true },
    ...textField(ui, "replyBody", "nabij-reply", t.boxReplyLabel, "nabij-reply-error"),
    ui.replyError,
    h("button", { type: "submit", class: "primary", text: t.boxReplySend }),
  );
  ui.boxClose = h("button", { type: "button", class: "secondary box-close", text: t.boxCloseThread });
  ui.boxCloseYes = h("button", { type: "button", class: "primary", text: t.boxCloseYes });
  ui.boxCloseNo = h("button", { type: "button", class: "secondary", text: t.boxCloseNo });
  ui.closeError = h("p", { class: "error", role: "alert", hidden: true });
  ui.closeConfirm = h(
    "div",
    { class: "confirm", role: "group", "aria-labelledby": "nabij-close-q", hidden: true },
    h("p", { id: "nabij-close-q", text: t.boxCloseQuestion }),
    h("div", { class: "actions" }, ui.boxCloseYes, ui.boxCloseNo),
    ui.closeError,
  );
  ui.thread = h("div", { class: "thread-part", hidden: true }, ui.threadState, ui.threadList, ui.replyForm, ui.boxClose, ui.closeConfirm);
  return ui.thread;
}
