"""``GET /api/staff/online``: colleagues who could take a handed-over chat now."""

from __future__ import annotations

from aiohttp import web

from chatserver import keys
from staffing.models import StaffUser


async def online_handler(request: web.Request, user: StaffUser) -> web.Response:
    """Other staff on a shift now with a console open: id, display name, availability, load."""
    states = await request.app[keys.team_view_key].colleagues_online(user.id)
    staff = [
        {
            "id": s.profile.expert_id,
            "display_name": s.profile.display_name,
            "available": s.available,
            "load": s.load,
            "capacity": s.profile.capacity,
        }
        for s in states
    ]
    staff.sort(key=lambda entry: (str(entry["display_name"]).lower(), entry["id"]))
    return web.json_response({"ok": True, "staff": staff})
