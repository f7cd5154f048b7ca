"""Answered chats recorded in the database, for the tests of figures measured from them."""

from __future__ import annotations

import datetime as dt

from chatserver.keys import db_key
from registration.records import save_conversation_record
from tests.harness import Nabij


async def measured_chats(nabij: Nabij, talk_s: int, count: int) -> None:
    """``count`` answered chats of ``talk_s`` seconds, ended within the last day."""
    now = dt.datetime.now(dt.UTC)
    async with nabij.app[db_key].begin() as session:
        for n in range(count):
            requested = now - dt.timedelta(hours=20, minutes=n)
            assigned = requested + dt.timedelta(seconds=30)
            await save_conversation_record(
                session,
                conversation_id=f"{n:032x}",
                audience="victim",
                requested_at=requested,
                assigned_at=assigned,
                ended_at=assigned + dt.timedelta(seconds=talk_s),
                outcome="answered",
                expert_id=None,
            )
