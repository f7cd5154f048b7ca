"""The message box's tables: threads and their sealed messages.

A thread lives at most ``NABIJ_MESSAGE_RETENTION_DAYS`` after its last message and is
deleted for good when the visitor closes it. Its text is only ever stored sealed
(sealing.py) and its pickup code only as a keyed hash (codes.py). What the figures need
(times, audience) is registration.models.MessageRecord, which outlives the thread; nothing
links a record to a registration, a code or an address.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from nabij.db import Base, UTCDateTime


class MessageThread(Base):
    """One visitor's message and the answers to it, reachable only by the pickup code."""

    __tablename__ = "message_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    audience: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    #: ``waiting`` (for an expert's answer) or ``answered`` (for the visitor to read).
    state: Mapped[str] = mapped_column(String(8), index=True)
    #: The expert who claimed it; it stays theirs while they are on the roster.
    claimed_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )
    #: How many more messages the visitor may add (one answer to the expert's reply).
    visitor_turns_left: Mapped[int] = mapped_column(Integer)
    last_message_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: ``last_message_at`` plus the retention: the thread is deleted at this instant.
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    record_id: Mapped[str | None] = mapped_column(
        ForeignKey("message_records.id", ondelete="SET NULL")
    )


class ThreadMessage(Base):
    """One message of a thread; ``sealed`` is the text, sealed for this thread and position."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("message_threads.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    #: ``visitor`` or ``expert``.
    sender: Mapped[str] = mapped_column(String(8))
    #: Who answered (for their display name); None for the visitor's messages.
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
