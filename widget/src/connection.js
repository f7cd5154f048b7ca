// One visitor's link to the /visitor namespace (docs/protocol.md §2.1 and §4).
//
// Resume: the socket's auth is a function, so every (re)connect sends the current token
// and the highest seq shown without a gap; the server replays what came after. After a
// page reload nothing is shown yet, so that is seq 0 and the whole conversation comes back
// (no content is ever kept in the browser). Messages whose ack was lost are resent with
// the same client_id after a reconnect; the server answers a resend with the first ack.
import { io } from "socket.io-client";
import { retryDelay } from "./retry.js";

const ACK_TIMEOUT_MS = 10000;

export class Connection {
  constructor(origin, token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.seen = new Set();
    this.lastSeq = 0;
    this.unacked = new Map();
    this.connectedOnce = false;
    this.socket = io(`${origin}/visitor`, {
      forceNew: true,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      withCredentials: false,
      auth: (cb) => cb(this.token ? { token: this.token, last_seq: this.lastSeq } : {}),
    });
    this.listen();
  }

  listen() {
    const { socket, handlers } = this;
    socket.on("connect", () => this.connected());
    socket.on("disconnect", (reason) => {
      handlers.offline();
      // The server only closes a visitor's socket when it shuts down or restarts; come
      // back (socket.io-client reconnects by itself after every other kind of drop).
      if (reason === "io server disconnect" && this.token) {
        setTimeout(() => this.closed || socket.connect(), 500);
      }
    });
    socket.on("connect_error", (err) => {
      if (socket.active) handlers.offline();
      else handlers.refused((err.data && err.data.code) || "failed");
    });
    socket.on("message:new", (message) => this.seq(message.seq) && handlers.message(message));
    for (const event of ["chat:queued", "chat:assigned", "typing", "chat:ended", "chat:resumed"]) {
      socket.on(event, (data) => handlers[event](data || {}));
    }
  }

  connected() {
    if (this.connectedOnce) {
      for (const [clientId, body] of this.unacked) this.emitMessage(clientId, body);
    }
    this.connectedOnce = true;
    this.handlers.online();
  }

  // Record a seq; false when it was shown already (replays may overlap live events).
  seq(seq) {
    if (this.seen.has(seq)) return false;
    this.seen.add(seq);
    while (this.seen.has(this.lastSeq + 1)) this.lastSeq += 1;
    return true;
  }

  // `safety` (the safety check's answer) is left out when the visitor skipped it.
  async request(audience, lang, safety) {
    const payload = safety ? { audience, lang, safety } : { audience, lang };
    const ack = await this.call("chat:request", payload);
    if (ack.ok) this.token = ack.token;
    return ack;
  }

  send(body) {
    const clientId = newId();
    this.unacked.set(clientId, body);
    this.emitMessage(clientId, body);
    return clientId;
  }

  // A message answered `temporarily_unavailable` is sent again (same client_id, so never
  // twice) after a bounded backoff before it shows as not sent.
  emitMessage(clientId, body, attempt = 0) {
    this.socket.emit("message:send", { client_id: clientId, body }, (ack) => {
      if (!this.unacked.has(clientId)) return;
      const delay = retryDelay(ack, attempt);
      if (delay !== null) {
        const again = () => this.unacked.has(clientId) && this.emitMessage(clientId, body, attempt + 1);
        setTimeout(() => this.closed || again(), delay);
        return;
      }
      if (ack.ok || (ack.error && ack.error.code !== "internal")) this.unacked.delete(clientId);
      if (ack.ok) this.seq(ack.seq);
      this.handlers.ack(clientId, ack);
    });
  }

  typing(isTyping) {
    if (this.socket.connected) this.socket.emit("typing", { is_typing: isTyping }, () => {});
  }

  end() {
    return this.call("chat:end", null);
  }

  call(event, data) {
    const args = data === null ? [event] : [event, data];
    return this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(...args)
      .catch(() => ({ ok: false, error: { code: "timeout" } }));
  }

  // Best effort for the quick exit: ask the server to end the chat, then leave at once.
  // If the page unloads first, the server ends it after the reconnect grace anyway.
  abandon() {
    if (this.socket.connected && this.token) {
      this.socket.emit("chat:end", { reason: "quick_exit" }, () => {});
    }
    this.close();
  }

  // The chat ended but the socket stays for feedback:send: no chat events reach the
  // widget any more (acks still do).
  quiet() {
    this.closed = true;
    this.socket.off();
  }

  close() {
    this.closed = true;
    this.socket.off();
    this.socket.disconnect();
  }
}

function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
