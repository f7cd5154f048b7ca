// The safety check: after the audience choice, one tap (or a skip) says whether the
// visitor can chat safely now. "Not sure" and "not safe" show two tips first; nothing
// ever blocks the chat. The answer travels with chat:request and lives with the chat only.
import { h, show } from "./dom.js";

export const SAFETY_ANSWERS = ["safe", "unsure", "unsafe"];

/** Whether an answer shows the tips before the chat starts (a skip does not). */
export function needsTips(answer) {
  return answer === "unsure" || answer === "unsafe";
}

/** The value for chat:request: one of SAFETY_ANSWERS, or undefined (left out) when skipped. */
export function safetyField(answer) {
  return SAFETY_ANSWERS.includes(answer) ? answer : undefined;
}

export function safetyView(t, ui) {
  ui.safetyTitle = h("h3", { id: "nabij-safety-title", tabindex: "-1", text: t.safetyQuestion });
  ui.safetyButtons = SAFETY_ANSWERS.map((answer) =>
    h("button", { type: "button", class: "secondary answer", "data-answer": answer, text: t.safetyAnswers[answer] }),
  );
  ui.safetySkip = h("button", { type: "button", class: "link skip", text: t.safetySkip });
  ui.safetyAsk = h("div", { class: "answers" }, ...ui.safetyButtons, ui.safetySkip);
  ui.tipsTitle = h("h3", { id: "nabij-tips-title", tabindex: "-1", text: t.safetyTipsTitle });
  ui.safetyStart = h("button", { type: "button", class: "primary safety-start", text: t.safetyStart });
  ui.safetyTips = h(
    "div",
    { class: "tips", hidden: true },
    ui.tipsTitle,
    h("ul", null, h("li", { text: t.safetyTipExit }), h("li", { text: t.safetyTipPrivate })),
    ui.safetyStart,
  );
  return h(
    "section",
    { class: "view safety", hidden: true, "aria-labelledby": "nabij-safety-title" },
    ui.safetyTitle,
    ui.safetyAsk,
    ui.safetyTips,
  );
}

/** Back to the question, for the next time the step is shown. */
export function resetSafety(ui) {
  show(ui.safetyAsk, true);
  show(ui.safetyTips, false);
}
