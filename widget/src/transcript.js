// The conversation as shown: messages in seq order, the visitor's own ones marked
// "sending" until their ack and "delivered" after. Only the page's DOM holds the text.
import { messageItem } from "./views.js";

export class Transcript {
  constructor(log, t) {
    this.log = log;
    this.t = t;
    this.pending = new Map();
    this.unnamed = [];
  }

  clear() {
    this.log.replaceChildren();
    this.pending.clear();
    this.unnamed = [];
  }

  // The visitor's message, before the server has it (the ack names its seq).
  sent(clientId, body) {
    const item = messageItem(this.t, this.t.you, body, true);
    this.pending.set(clientId, item);
    this.log.append(item.el);
    this.scroll();
  }

  acked(clientId, ack) {
    const item = this.pending.get(clientId);
    if (!item) return;
    this.pending.delete(clientId);
    if (!ack.ok) {
      item.status.textContent = this.t.notSent;
      item.el.classList.add("failed");
      return;
    }
    const twin = this.log.querySelector(`[data-seq="${ack.seq}"]`);
    if (twin) twin.remove(); // the replay after a reconnect already showed it
    this.delivered(item, ack.seq);
  }

  // A message from the server: the expert's, or the visitor's own in a replay. The
  // expert's name is null while unknown (a resume replays before `chat:resumed` names
  // the expert): the message says "Ervaringsdeskundige" until `named` gives the name.
  received(message, expertName) {
    const mine = message.sender === "visitor";
    const who = mine ? this.t.you : expertName || this.t.expert;
    const item = messageItem(this.t, who, message.body, mine);
    if (!mine && !expertName) this.unnamed.push(item.label);
    if (mine) this.delivered(item, message.seq);
    else item.el.dataset.seq = String(message.seq);
    const later = (el) => !el.dataset.seq || Number(el.dataset.seq) > message.seq;
    this.log.insertBefore(item.el, Array.from(this.log.children).find(later) || null);
    this.scroll();
  }

  // The expert's name is known now: label the messages that arrived before it.
  named(expertName) {
    for (const label of this.unnamed) label.textContent = expertName;
    this.unnamed = [];
  }

  delivered(item, seq) {
    item.el.dataset.seq = String(seq);
    item.el.classList.add("delivered");
    item.status.textContent = this.t.delivered;
  }

  scroll() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
