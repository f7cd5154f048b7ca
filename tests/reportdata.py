"""The March 2026 registrations the report tests count (shared by the report test modules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from registration.models import Registration
from registration.periods import Period
from staffing.experts import create_staff_user

Maker = async_sessionmaker[Any]
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

# (day in March 2026, minutes, type, first/followup, seeker, referral, support, advised, who)
# fmt: off
CONTACTS: list[tuple[int, int, str, str, str | None, str | None, list[str], list[str], str]] = [
    (2, 10, "chat", "first", "victim", "website", ["listening_ear"], [], "anna"),
    (5, 15, "phone", "followup", "victim", "flyer_victims",
     ["listening_ear", "advice_personal"], [], "anna"),
    (10, 35, "whatsapp", "first", "perpetrator", "card_perpetrators",
     ["listening_ear", "advice_professional_help"], ["ggz", "police"], "bob"),
    (15, 29, "chat", "unknown", None, None, ["listening_ear"], [], "bob"),
    (20, 60, "face_to_face", "followup", "parent_of_victim", "professional",
     ["advice_professional_help"], ["veilig_thuis"], "anna"),
    (25, 45, "chat", "first", "victim", "website",
     ["listening_ear", "advice_personal", "advice_professional_help"], ["ggz"], "anna"),
    (31, 90, "phone", "first", "professional", "acquaintance", [], [], "bob"),
    (1, 30, "email", "first", "other", "other", ["listening_ear"], [], "anna"),
]
# fmt: on


async def seed(maker: Maker) -> dict[str, int]:
    """The eight March contacts above, plus three that must not count."""
    async with maker.begin() as session:
        ids = {}
        for name in ("anna", "bob"):
            user = await create_staff_user(
                session, username=name, display_name=name.title(), password="x" * 12
            )
            ids[name] = user.id
        for day, minutes, kind, first, seeker, referral, support, advised, who in CONTACTS:
            session.add(
                Registration(
                    expert_id=ids[who],
                    status="done",
                    source="manual",
                    contact_date=dt.date(2026, 3, day),
                    duration_minutes=minutes,
                    contact_type=kind,
                    first_or_followup=first,
                    contact_seeker=seeker,
                    referral=referral,
                    referral_other="buurthuis" if referral == "other" else None,
                    support=support,
                    advised_help=advised,
                )
            )
        # Outside the period on either side, and a pending one inside it: none count.
        for status, day in (("done", dt.date(2026, 2, 28)), ("done", dt.date(2026, 4, 1))):
            session.add(_other(ids["anna"], status, day))
        session.add(_other(ids["bob"], "pending", dt.date(2026, 3, 12)))
    return ids


def _other(expert_id: int, status: str, day: dt.date) -> Registration:
    return Registration(
        expert_id=expert_id,
        status=status,
        source="chat",
        contact_date=day,
        duration_minutes=5,
        contact_type="sms",
        first_or_followup="first",
        support=["listening_ear"],
        advised_help=[],
    )
