// The visitor's verdict: after a chat that ended normally, three optional questions
// (the evaluation's client survey), sent once with feedback:send on the same socket.
// Never after the quick exit, never when the system ended the chat, never when no
// expert ever took it.
import { h, setText, show } from "./dom.js";

export const MARKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
export const HELPED = ["yes", "a_bit", "no"];
export const RECOMMEND = ["yes", "no"];
/** How long the ended view keeps the socket open for the answers. */
export const FEEDBACK_WINDOW_MS = 10 * 60 * 1000;

/** Whether this ending asks for feedback: an expert had the chat, and the visitor or the expert ended it. */
export function asksFeedback(wasAssigned, by) {
  return wasAssigned === true && (by === "visitor" || by === "expert");
}

/** The feedback:send payload from the chosen values; unanswered (or unknown) ones are left out. */
export function feedbackPayload({ mark, helped, recommend }) {
  const payload = {};
  const number = Number(mark);
  if (MARKS.includes(number)) payload.mark = number;
  if (HELPED.includes(helped)) payload.helped = helped;
  if (RECOMMEND.includes(recommend)) payload.recommend = recommend;
  return payload;
}

export function feedbackView(t, ui) {
  ui.feedbackSend = h("button", { type: "submit", class: "primary", text: t.feedbackSend });
  ui.feedbackSkip = h("button", { type: "button", class: "link skip", text: t.feedbackSkip });
  ui.feedbackForm = h(
    "form",
    { class: "feedback", novalidate: true, "aria-labelledby": "nabij-feedback-title", hidden: true },
    h("h4", { id: "nabij-feedback-title", text: t.feedbackTitle }),
    h("p", { class: "hint", text: t.feedbackIntro }),
    ui.feedbackSkip, // one tap, before the questions: nobody has to scroll past them to say no
    group("mark", t.feedbackMark, MARKS.map((m) => [String(m), String(m)]), "marks"),
    group("helped", t.feedbackHelped, HELPED.map((v) => [v, t.feedbackHelpedAnswers[v]])),
    group("recommend", t.feedbackRecommend, RECOMMEND.map((v) => [v, t.feedbackRecommendAnswers[v]])),
    ui.feedbackSend,
  );
  ui.feedbackThanks = h("p", { class: "thanks", role: "status", tabindex: "-1", hidden: true });
  return [ui.feedbackForm, ui.feedbackThanks];
}

function group(name, legend, options, extra = "") {
  return h(
    "fieldset",
    { class: `pick ${extra}`.trim() },
    h("legend", { text: legend }),
    ...options.map(([value, label]) => {
      const id = `nabij-${name}-${value}`;
      const input = h("input", { type: "radio", name: `nabij-${name}`, id, value });
      return h("div", { class: "option" }, input, h("label", { for: id, text: label }));
    }),
  );
}

/** What the visitor chose in the form, for feedbackPayload. */
export function chosen(form) {
  const value = (name) => {
    const input = form.querySelector(`input[name="nabij-${name}"]:checked`);
    return input ? input.value : undefined;
  };
  return { mark: value("mark"), helped: value("helped"), recommend: value("recommend") };
}

/** The questions in the ended view, on the ended chat's socket (kept quiet until then). */
export class FeedbackAsk {
  constructor(t, ui, onSkip) {
    Object.assign(this, { t, ui });
    this.conn = null;
    ui.feedbackForm.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
    ui.feedbackSkip.addEventListener("click", () => {
      this.close(true);
      onSkip();
    });
  }

  /** Ask, on `conn`; with no connection (an ending that does not ask) only reset the view. */
  offer(conn) {
    this.close(false);
    this.ui.feedbackForm.reset();
    show(this.ui.feedbackForm, !!conn);
    setText(this.ui.feedbackThanks, "");
    if (!conn) return;
    conn.quiet();
    this.conn = conn;
    this.timer = setTimeout(() => this.close(true), FEEDBACK_WINDOW_MS);
  }

  close(hideForm) {
    clearTimeout(this.timer);
    if (this.conn) this.conn.close();
    this.conn = null;
    if (hideForm) show(this.ui.feedbackForm, false);
  }

  // Whatever the answer (sent, already sent, too late), thank and move on.
  async send() {
    const conn = this.conn;
    if (!conn) return;
    const payload = feedbackPayload(chosen(this.ui.feedbackForm));
    if (Object.keys(payload).length) await conn.call("feedback:send", payload);
    if (conn !== this.conn) return; // skipped, timed out or left meanwhile
    this.close(true);
    setText(this.ui.feedbackThanks, this.t.feedbackThanks);
    this.ui.feedbackThanks.focus();
  }
}
