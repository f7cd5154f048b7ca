"""Quick replies: short canned answers shared by the whole team, managed by coordinators."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from staffing.models import QuickReply

logger = logging.getLogger(__name__)

MAX_TITLE = 60
MAX_BODY = 1000
MAX_REPLIES = 100


class QuickReplyInputError(ValueError):
    """Quick reply input was refused; ``errors`` maps each bad field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


TITLE_MESSAGE = f"Use 1 to {MAX_TITLE} characters."
BODY_MESSAGE = f"Use 1 to {MAX_BODY} characters."


def quick_reply_problems(title: str, body: str) -> dict[str, str]:
    """Field errors of a new quick reply (empty when it is fine)."""
    errors: dict[str, str] = {}
    if not 1 <= len(title.strip()) <= MAX_TITLE:
        errors["title"] = TITLE_MESSAGE
    if not 1 <= len(body.strip()) <= MAX_BODY:
        errors["body"] = BODY_MESSAGE
    elif "\x00" in body:
        errors["body"] = "Remove the NUL character."
    return errors


async def list_quick_replies(session: AsyncSession) -> list[QuickReply]:
    """Every quick reply, ordered by title."""
    result = await session.execute(select(QuickReply).order_by(QuickReply.title, QuickReply.id))
    return list(result.scalars())


async def add_quick_reply(
    session: AsyncSession, *, title: str, body: str, created_by: int
) -> QuickReply:
    """Store a quick reply; raise QuickReplyInputError with every field error, changing nothing."""
    errors = quick_reply_problems(title, body)
    if not errors and len(await list_quick_replies(session)) >= MAX_REPLIES:
        errors["title"] = f"There are already {MAX_REPLIES} quick replies; remove one first."
    if errors:
        raise QuickReplyInputError(errors)
    reply = QuickReply(title=title.strip(), body=body.strip(), created_by=created_by)
    session.add(reply)
    await session.flush()
    logger.info("quick reply added id=%d by=%d", reply.id, created_by)
    return reply


async def delete_quick_reply(session: AsyncSession, reply_id: int) -> bool:
    """Remove a quick reply; False when there was none with this id."""
    reply = await session.get(QuickReply, reply_id)
    if reply is None:
        return False
    await session.delete(reply)
    logger.info("quick reply deleted id=%d", reply_id)
    return True


def quick_reply_as_dict(reply: QuickReply) -> dict[str, object]:
    """The JSON shape of a quick reply."""
    return {"id": reply.id, "title": reply.title, "body": reply.body}
