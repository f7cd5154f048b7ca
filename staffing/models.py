"""Durable staffing data: staff accounts, their login sessions, and shifts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nabij.db import Base, UTCDateTime, utcnow


class StaffUser(Base):
    """An expert, coordinator or admin. Only a display name is ever shown to visitors."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="expert")
    #: Comma-separated focus codes (nabij.vocab.FOCUS_CODES); empty means no preference.
    focus: Mapped[str] = mapped_column(String(128), default="")
    #: Comma-separated language codes the expert chats in (nabij.vocab.LANGUAGES).
    languages: Mapped[str] = mapped_column(String(32), default="nl", server_default="nl")
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    cooldown_s: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    shifts: Mapped[list[Shift]] = relationship(back_populates="user", lazy="raise")

    @property
    def focus_codes(self) -> frozenset[str]:
        """The focus as a set of codes."""
        return frozenset(code for code in self.focus.split(",") if code)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Shift(Base):
    """One rostered chat shift of one expert, stored as UTC instants."""

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    #: The recurring pattern this shift was generated from; None for a one-off shift.
    pattern_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_patterns.id", ondelete="SET NULL"), index=True, default=None
    )

    user: Mapped[StaffUser] = relationship(back_populates="shifts", lazy="raise")


class ShiftPattern(Base):
    """A weekly recurring shift of one expert, in local wall-clock time.

    Its shifts are generated as ordinary rows ahead of time (up to ``generated_until``),
    so routing and opening hours only ever read ``shifts``; a one-off change is a change
    to one generated row, and a day off is a skip.
    """

    __tablename__ = "shift_patterns"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    #: Comma-separated day codes, Monday first (staffing.weekly.WEEKDAY_CODES).
    weekdays: Mapped[str] = mapped_column(String(27))
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: The last local day whose shift has been generated.
    generated_until: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[StaffUser] = relationship(lazy="raise")


class ShiftPatternSkip(Base):
    """A local day on which a pattern does not apply (a holiday, a day off)."""

    __tablename__ = "shift_pattern_skips"
    __table_args__ = (UniqueConstraint("pattern_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern_id: Mapped[int] = mapped_column(
        ForeignKey("shift_patterns.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)


class ChatHours(Base):
    """The hours the team means the chat to be open; coverage gaps are measured against them."""

    __tablename__ = "chat_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    weekdays: Mapped[str] = mapped_column(String(27))
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))


class AuditEntry(Base):
    """Who changed what in the roster or the team, and when. No visitor data, ever."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: The staff member who made the change; None for the command line.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))
    #: A short JSON object of the changed values.
    details: Mapped[str] = mapped_column(Text, default="{}")


class CalendarToken(Base):
    """The secret in an expert's private calendar-feed URL; only its SHA-256 is kept."""

    __tablename__ = "calendar_tokens"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ShiftRequest(Base):
    """An expert's request to drop a shift or hand it to a colleague; a coordinator decides."""

    __tablename__ = "shift_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="SET NULL"), index=True
    )
    requester_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    #: "drop" (nobody takes over) or "swap" (``to_user_id`` takes over).
    kind: Mapped[str] = mapped_column(String(8))
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), default=None
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    #: "pending", "approved" or "refused".
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)


class PasswordReset(Base):
    """A one-time link to set a password (a new account, or a reset by a coordinator)."""

    __tablename__ = "password_resets"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PresencePeriod(Base):
    """A stretch in which a staff member had the console open (for shifts never attended).

    ``ended_at`` is None while it lasts. Only staff presence, never a visitor's.
    """

    __tablename__ = "presence_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)


class QuickReply(Base):
    """A canned answer the whole team can insert into a chat; managed by coordinators."""

    __tablename__ = "quick_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(String(1000))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
