// The widget's DOM, built once: a launcher and a dialog with one view per state. The
// controller (app.js) only switches views and fills in text.
import { h } from "./dom.js";
import { feedbackView } from "./feedback.js";
import { boxButtons, codeView, leaveView, readView } from "./messagebox.js";
import { safetyView } from "./safetycheck.js";

export const MAX_BODY = 2000; // the server's limit (chatserver/realtime/payloads.py)
const AUDIENCES = ["victim", "perpetrator", "relative", "professional", "unknown"];

export function buildWidget(t, config) {
  const ui = {};
  ui.launcherState = h("span", { class: "launcher-state" });
  ui.launcher = h(
    "button",
    { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "nabij-panel" },
    h("span", { class: "launcher-text", text: t.launcher }),
    ui.launcherState,
  );
  ui.title = h("h2", { id: "nabij-title", tabindex: "-1", text: t.title });
  ui.exit = h("button", { type: "button", class: "exit", text: t.quickExit });
  const hideLabel = { "aria-label": t.hide, title: t.hide };
  ui.hide = h("button", { type: "button", class: "hide", ...hideLabel }, icon());
  ui.notice = h("p", { class: "notice", role: "status" });
  ui.views = {
    closed: closedView(t, ui),
    intro: introView(t, ui),
    safety: safetyView(t, ui),
    chat: chatView(t, ui),
    leave: leaveView(t, ui),
    code: codeView(t, ui),
    read: readView(t, ui),
    ended: endedView(t, ui),
  };
  ui.panel = h(
    "div",
    { id: "nabij-panel", class: "panel", role: "dialog", "aria-labelledby": "nabij-title" },
    h("div", { class: "bar" }, ui.title, ui.exit, ui.hide),
    h("p", { class: "exit-hint", text: t.quickExitHint }),
    emergency(t),
    ui.notice,
    h("div", { class: "body" }, ...Object.values(ui.views)),
  );
  ui.panel.hidden = true;
  const root = { class: `nabij ${config.position}`, lang: config.lang };
  ui.root = h("div", root, ui.launcher, ui.panel);
  return ui;
}

function icon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M3 3l10 10M13 3L3 13");
  svg.append(path);
  return svg;
}

function emergency(t) {
  return h(
    "p",
    { class: "emergency" },
    `${t.emergencyDanger} `,
    h("a", { href: "tel:112", class: "tel", text: "112" }),
    `. ${t.emergencyVeiligThuis} `,
    h("a", { href: "tel:08002000", class: "tel", text: "0800-2000" }),
    " ",
    h("span", { class: "emergency-note", text: t.emergencyVeiligThuisNote }),
  );
}

// Closed and unstaffed share the view: the title, the text and "try again" differ.
function closedView(t, ui) {
  ui.closedTitle = h("h3", { id: "nabij-closed-title", text: t.closedTitle });
  ui.nextOpening = h("p", { class: "next-opening" });
  ui.tryAgain = h("button", { type: "button", class: "secondary try-again", text: t.tryAgain });
  ui.closedAlternatives = h("ul", { class: "alternatives" });
  ui.hoursTitle = h("p", { class: "hours-title", id: "nabij-hours-title", text: t.hoursTitle, hidden: true });
  ui.hours = h("ul", { class: "hours", "aria-labelledby": "nabij-hours-title", hidden: true });
  return h(
    "section",
    { class: "view closed", hidden: true, "aria-labelledby": "nabij-closed-title" },
    ui.closedTitle,
    ui.nextOpening,
    ui.tryAgain,
    boxButtons(t, ui),
    ui.hoursTitle,
    ui.hours,
    h("p", { text: t.alternativesTitle }),
    ui.closedAlternatives,
  );
}

function introView(t, ui) {
  ui.audience = h(
    "fieldset",
    { class: "audience" },
    h("legend", { text: t.audienceLegend }),
    ...AUDIENCES.map((code) => radio(code, t.audiences[code])),
  );
  ui.nickname = h("input", {
    id: "nabij-nickname",
    type: "text",
    maxlength: "40",
    autocomplete: "off",
    "aria-describedby": "nabij-nickname-hint",
  });
  ui.start = h("button", { type: "submit", class: "primary start", text: t.start });
  ui.introError = h("p", { class: "error", role: "alert", hidden: true });
  ui.introForm = h(
    "form",
    { class: "intro-form", novalidate: true },
    ui.audience,
    h("label", { for: "nabij-nickname", text: t.nicknameLabel }),
    ui.nickname,
    h("p", { id: "nabij-nickname-hint", class: "hint", text: t.nicknameHint }),
    ui.introError,
    ui.start,
  );
  ui.busyNote = h("p", { class: "busy-note", hidden: true });
  // Someone who left a message while we were closed comes back when we are open.
  ui.introHaveCode = h("button", { type: "button", class: "link box-code-intro", text: t.boxHaveCode });
  return h(
    "section",
    { class: "view intro", hidden: true },
    ui.busyNote,
    h("p", { text: t.introWho }),
    h("p", { text: t.introAnonymous }),
    h("p", { text: t.introKept }),
    ui.introForm,
    ui.introHaveCode,
  );
}

function radio(code, label) {
  const id = `nabij-audience-${code}`;
  const checked = code === "unknown"; // "rather not say" unless the visitor picks one
  const input = h("input", { type: "radio", name: "audience", id, value: code, checked });
  return h("div", { class: "choice" }, input, h("label", { for: id, text: label }));
}

function chatView(t, ui) {
  ui.status = h("p", { class: "chat-status", role: "status" });
  ui.waitHint = h("p", { class: "hint wait-hint", text: t.queuedHint, hidden: true });
  // Polite, additions only: new messages are read out, "delivered" marks are not.
  ui.log = h("div", {
    class: "log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": t.title,
    tabindex: "0",
  });
  ui.typing = h("p", { class: "typing", hidden: true });
  ui.message = h("textarea", {
    id: "nabij-message",
    rows: "2",
    maxlength: String(MAX_BODY),
    "aria-describedby": "nabij-counter",
  });
  ui.counter = h("p", { id: "nabij-counter", class: "counter", text: t.counter(0, MAX_BODY) });
  ui.send = h("button", { type: "submit", class: "primary send", text: t.send });
  ui.end = h("button", { type: "button", class: "secondary end", text: t.end });
  ui.confirmEnd = h("button", { type: "button", class: "primary confirm-end", text: t.endYes });
  ui.cancelEnd = h("button", { type: "button", class: "secondary cancel-end", text: t.endNo });
  ui.confirm = h(
    "div",
    { class: "confirm", role: "group", "aria-labelledby": "nabij-confirm", hidden: true },
    h("p", { id: "nabij-confirm", text: t.endQuestion }),
    h("div", { class: "actions" }, ui.confirmEnd, ui.cancelEnd),
  );
  ui.composer = h(
    "form",
    { class: "composer", novalidate: true },
    h("label", { for: "nabij-message", text: t.messageLabel }),
    ui.message,
    h("div", { class: "composer-row" }, ui.counter, ui.send),
  );
  const parts = [ui.status, ui.waitHint, ui.log, ui.typing, ui.composer, ui.end, ui.confirm];
  return h("section", { class: "view chat", hidden: true }, ...parts);
}

function endedView(t, ui) {
  ui.endedReason = h("p", { class: "ended-reason" });
  ui.endedAlternatives = h("ul", { class: "alternatives" });
  ui.newChat = h("button", { type: "button", class: "primary new-chat", text: t.newChat });
  ui.close = h("button", { type: "button", class: "secondary close", text: t.close });
  return h(
    "section",
    { class: "view ended", hidden: true, "aria-labelledby": "nabij-ended-title" },
    h("h3", { id: "nabij-ended-title", tabindex: "-1", text: t.endedTitle }),
    ui.endedReason,
    h("p", { text: t.endedErased }),
    ...feedbackView(t, ui),
    h("p", { text: t.alternativesTitle }),
    ui.endedAlternatives,
    h("div", { class: "actions" }, ui.newChat, ui.close),
  );
}

// The team's own contacts first, then the national lines that are always there.
export function alternatives(t, config) {
  const items = config.contacts.map((c) => contactItem(c.name, c.phone, c.url, c.note));
  items.push(contactItem(t.veilig, "0800-2000", null, t.veiligNote));
  items.push(contactItem(t.police, "112", null, t.policeNote));
  return items;
}

function contactItem(name, phone, url, note) {
  const link = phone
    ? h("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}`, class: "tel", text: phone })
    : h("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: shortUrl(url) });
  return h("li", null, h("strong", { text: name }), ": ", link, note ? ` (${note})` : null);
}

function shortUrl(url) {
  return url.replace(/^https?:\/\//, "").replace(/\/$/, "");
}

export function messageItem(t, who, body, mine) {
  const status = mine ? h("span", { class: "status", text: t.sending }) : null;
  const label = h("p", { class: "who", text: who });
  const el = h(
    "div",
    { class: mine ? "msg mine" : "msg theirs" },
    label,
    h("p", { class: "text", text: body }),
    status ? h("p", { class: "meta" }, status) : null,
  );
  return { el, status, label };
}
