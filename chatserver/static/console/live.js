// The /staff socket and its acks: every event is sent with an ack and a timeout.

import { T, errorText, notice } from "./util.js";

export const socket = io("/staff", { transports: ["websocket"] });

export async function emit(event, payload) {
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
