"""Shift requests: an expert asks to drop a shift or hand it to a colleague.

A coordinator approves or refuses. Approving a drop deletes the shift; approving a swap
reassigns it under the usual rules (the colleague active and free then), so an approval
that would break the roster is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from staffing.models import Shift, ShiftRequest
from staffing.shifts import ShiftInputError, change_shift, delete_shift

KINDS = ("drop", "swap")
MAX_NOTE = 500


async def request_shift_change(
    session: AsyncSession,
    *,
    requester_id: int,
    shift_id: int,
    kind: str,
    to_user_id: int | None,
    note: str,
    now: dt.datetime,
) -> ShiftRequest:
    """Store a pending request for one of the requester's own future shifts."""
    errors: dict[str, str] = {}
    shift = await session.get(Shift, shift_id)
    if shift is None or shift.user_id != requester_id:
        errors["shift_id"] = "Choose one of your own shifts."
    elif shift.starts_at <= now:
        errors["shift_id"] = "This shift has already started."
    if kind not in KINDS:
        errors["kind"] = "Choose drop or swap."
    elif (kind == "swap") != (to_user_id is not None) or to_user_id == requester_id:
        errors["to_user_id"] = "A swap names a colleague; a drop names nobody."
    if len(note) > MAX_NOTE:
        errors["note"] = f"Use at most {MAX_NOTE} characters."
    if errors:
        raise ShiftInputError(errors)
    request = ShiftRequest(
        shift_id=shift_id, requester_id=requester_id, kind=kind, to_user_id=to_user_id, note=note
    )
    session.add(request)
    await session.flush()
    return request


async def decide_shift_request(
    session: AsyncSession, request_id: int, *, approve: bool, decided_by: int, now: dt.datetime
) -> ShiftRequest | None:
    """Approve (carry out) or refuse a pending request; None: no such pending request."""
    request = await session.get(ShiftRequest, request_id)
    if request is None or request.status != "pending":
        return None
    if approve:
        await _carry_out(session, request)
    request.status = "approved" if approve else "refused"
    request.decided_by, request.decided_at = decided_by, now
    await session.flush()
    return request


async def _carry_out(session: AsyncSession, request: ShiftRequest) -> None:
    shift = await session.get(Shift, request.shift_id) if request.shift_id else None
    if shift is None:
        raise ShiftInputError({"shift_id": "The shift no longer exists."})
    if request.kind == "drop":
        await delete_shift(session, shift.id)
        return
    assert request.to_user_id is not None
    start, end = shift.starts_at, shift.ends_at
    await change_shift(session, shift.id, user_id=request.to_user_id, starts_at=start, ends_at=end)


async def list_shift_requests(
    session: AsyncSession, *, requester_id: int | None = None, status: str | None = None
) -> list[ShiftRequest]:
    """Requests, the newest first; optionally one requester's, or one status."""
    query = select(ShiftRequest).order_by(ShiftRequest.id.desc())
    if requester_id is not None:
        query = query.where(ShiftRequest.requester_id == requester_id)
    if status is not None:
        query = query.where(ShiftRequest.status == status)
    return list((await session.execute(query)).scalars())
