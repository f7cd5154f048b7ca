"""A minimal python-socketio relay: receive an event, emit it to the partner's room.

Run: ``python -m bench.baselines.sio_relay --port N``. Same events and payloads as Nabij's
``message:send`` / ``message:new`` / ``chat:request`` / ``chat:assigned``.
"""

from __future__ import annotations

import sys
from typing import Any

import socketio
from aiohttp import web

from bench.baselines.common import Relay, port_from_argv

sio = socketio.AsyncServer(async_mode="aiohttp")
relay = Relay()
visitor_of: dict[str, str] = {}  # sid -> conversation
expert_of: dict[str, int] = {}  # sid -> expert


async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any]) -> None:
    if auth.get("role") == "expert":
        expert = int(auth["expert"])
        expert_of[sid] = expert
        relay.expert_load.setdefault(expert, 0)
        await sio.enter_room(sid, f"e:{expert}")


async def chat_request(sid: str, data: Any) -> dict[str, Any]:
    assigned = relay.assign()
    if assigned is None:
        return {"ok": False, "error": {"code": "closed"}}
    conversation, expert = assigned
    visitor_of[sid] = conversation
    await sio.enter_room(sid, f"v:{conversation}")
    await sio.emit("chat:assigned", {"conversation_id": conversation}, room=f"e:{expert}")
    await sio.emit("chat:assigned", {"expert": {"display_name": "x"}}, to=sid)
    return {"ok": True, "conversation_id": conversation, "position": 0}


async def message_send(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    if sid in expert_of:
        conversation = data["conversation_id"]
        room, sender = f"v:{conversation}", "expert"
    else:
        conversation = visitor_of[sid]
        room, sender = f"e:{relay.conversations[conversation]}", "visitor"
    seq = relay.next_seq(conversation)
    message = {"conversation_id": conversation, "seq": seq, "sender": sender, "body": data["body"]}
    await sio.emit("message:new", message, room=room)
    return {"ok": True, "seq": seq}


sio.on("connect", connect)
sio.on("chat:request", chat_request)
sio.on("message:send", message_send)


def main() -> None:
    """Serve on 127.0.0.1."""
    app = web.Application()
    sio.attach(app)
    web.run_app(app, host="127.0.0.1", port=port_from_argv(sys.argv), print=None, access_log=None)


if __name__ == "__main__":
    main()
