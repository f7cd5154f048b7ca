"""Durable registration data: contact registrations and content-free conversation records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from nabij.db import Base, UTCDateTime


class ConversationRecord(Base):
    """Service figures of one chat request: times and outcome, never content or identity."""

    __tablename__ = "conversation_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    audience: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: answered, missed (nobody available) or abandoned (visitor left while waiting).
    outcome: Mapped[str] = mapped_column(String(16))
    #: Only for missed: closed (nobody on the roster) or nobody_free (rostered, none free).
    missed_reason: Mapped[str | None] = mapped_column(String(16))
    wait_s: Mapped[int | None] = mapped_column(Integer)
    talk_s: Mapped[int | None] = mapped_column(Integer)
    expert_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )


class Registration(Base):
    """One anonymous contact registration (the evaluation's non-case contact form).

    Deliberately no time of day: ``contact_date`` and ``completed_on`` are dates, and once
    completed ``conversation_id`` is cleared, so a registration cannot be joined to chat times.
    """

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), index=True)  # pending | done
    source: Mapped[str] = mapped_column(String(8))  # chat | manual | message
    conversation_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    contact_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    contact_type: Mapped[str | None] = mapped_column(String(16))
    first_or_followup: Mapped[str | None] = mapped_column(String(8))
    contact_seeker: Mapped[str | None] = mapped_column(String(16))
    referral: Mapped[str | None] = mapped_column(String(24))
    referral_other: Mapped[str | None] = mapped_column(String(100))
    support: Mapped[list[str]] = mapped_column(JSON, default=list)
    advised_help: Mapped[list[str]] = mapped_column(JSON, default=list)
    advised_help_other: Mapped[str | None] = mapped_column(String(100))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)


class WidgetOpenCount(Base):
    """How often the widget was opened in one UTC hour: a bare counter, nothing about anyone."""

    __tablename__ = "widget_open_counts"

    hour_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class FeedbackAnswer(Base):
    """One visitor's verdict after a chat: the local date and the answers, nothing else.

    No conversation id, no expert, no time of day, and a random id (an increasing one
    would give the order of the day's answers, to be matched with the order of its chats).
    """

    __tablename__ = "feedback_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    answered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: The report mark, 1 to 10; None when the visitor skipped the question.
    mark: Mapped[int | None] = mapped_column(Integer)
    #: ``yes``, ``a_bit`` or ``no``.
    helped: Mapped[str | None] = mapped_column(String(8))
    #: ``yes`` or ``no``.
    recommend: Mapped[str | None] = mapped_column(String(8))


class SafetyAnswerCount(Base):
    """How many chats began with each answer to "can you chat safely now?", per local day.

    A bare counter like the widget opens: nothing links an answer to its chat.
    """

    __tablename__ = "safety_answer_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    #: ``safe``, ``unsure``, ``unsafe`` or ``skipped``.
    answer: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class MessageRecord(Base):
    """The figures of one message left in the message box: left, answered, picked up.

    Content-free, like ConversationRecord, and it outlives its thread.
    """

    __tablename__ = "message_records"

    #: Random, never shown, never derived from the code.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    audience: Mapped[str] = mapped_column(String(16))
    left_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    first_answer_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: When the visitor first read an answer with their code.
    picked_up_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
