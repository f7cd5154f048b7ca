"""``GET /api/staff/online``: colleagues who could take a handed-over chat now."""

from __future__ import annotations

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import require_staff


async def online_handler(request: web.Request) -> web.Response:
    """Other staff on a shift now with a console open: id, display name, availability, load."""
    user = await require_staff(request)
    chat = request.app[keys.chat_key]
    on_shift = [i for i in await chat.roster.on_shift(chat.clock(), fresh=True) if i != user.id]
    states = await chat.store.expert_states(on_shift)
    staff = [
        {
            "id": s.profile.expert_id,
            "display_name": s.profile.display_name,
            "available": s.available,
            "load": s.load,
            "capacity": s.profile.capacity,
        }
        for s in states
        if s.connections > 0
    ]
    staff.sort(key=lambda entry: (str(entry["display_name"]).lower(), entry["id"]))
    return web.json_response({"ok": True, "staff": staff})
