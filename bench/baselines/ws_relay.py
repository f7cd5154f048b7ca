"""A raw aiohttp websocket relay: JSON frames ``[event, data, ack_id]``, same events as Nabij.

Run: ``python -m bench.baselines.ws_relay --port N``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aiohttp import WSMsgType, web

from bench.baselines.common import Relay, port_from_argv, status

relay = Relay()
experts: dict[int, web.WebSocketResponse] = {}
visitors: dict[str, web.WebSocketResponse] = {}


async def send(ws: web.WebSocketResponse | None, event: str, data: Any, extra: Any = None) -> None:
    if ws is not None and not ws.closed:
        await ws.send_str(json.dumps([event, data, extra]))


async def handle(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    expert: int | None = None
    conversation: str | None = None
    async for frame in ws:
        if frame.type != WSMsgType.TEXT:
            break
        event, data, ack_id = json.loads(frame.data)
        reply: Any = None
        if event == "hello" and data.get("role") == "expert":
            expert = int(data["expert"])
            experts[expert] = ws
            relay.expert_load.setdefault(expert, 0)
        elif event == "chat:request":
            assigned = relay.assign()
            if assigned is None:
                reply = {"ok": False, "error": {"code": "closed"}}
            else:
                conversation, to = assigned
                visitors[conversation] = ws
                await send(experts.get(to), "chat:assigned", {"conversation_id": conversation})
                await send(ws, "chat:assigned", {"expert": {"display_name": "x"}})
                reply = {"ok": True, "conversation_id": conversation, "position": 0}
        elif event == "message:send":
            if expert is not None:
                target, sender = visitors.get(data["conversation_id"]), "expert"
                conv = data["conversation_id"]
            else:
                assert conversation is not None
                target, sender = experts.get(relay.conversations[conversation]), "visitor"
                conv = conversation
            seq = relay.next_seq(conv)
            message = {"conversation_id": conv, "seq": seq, "sender": sender, "body": data["body"]}
            await send(target, "message:new", message)
            reply = {"ok": True, "seq": seq}
        if ack_id is not None:
            await send(ws, "ack", ack_id, reply)
    return ws


def main() -> None:
    """Serve on 127.0.0.1."""
    app = web.Application()
    app.router.add_get("/ws", handle)
    app.router.add_get("/api/status", status)
    web.run_app(app, host="127.0.0.1", port=port_from_argv(sys.argv), print=None, access_log=None)


if __name__ == "__main__":
    main()
