"""The message box (threads, sealed messages, content-free figures), the visitor's
verdicts and the safety-check counters.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:39:45
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("mark", sa.Integer(), nullable=True),
        sa.Column("helped", sa.String(length=8), nullable=True),
        sa.Column("recommend", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
    )
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_answers_answered_on"), ["answered_on"], unique=False
        )

    op.create_table(
        "message_records",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=False),
        sa.Column("first_answer_at", sa.DateTime(), nullable=True),
        sa.Column("picked_up_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_records")),
    )
    with op.batch_alter_table("message_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_records_left_at"), ["left_at"], unique=False)

    op.create_table(
        "safety_answer_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "answer", name=op.f("pk_safety_answer_counts")),
    )
    op.create_table(
        "message_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("visitor_turns_left", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("record_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimed_by"],
            ["staff_users.id"],
            name=op.f("fk_message_threads_claimed_by_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["message_records.id"],
            name=op.f("fk_message_threads_record_id_message_records"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_threads")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_message_threads_code_hash")),
    )
    with op.batch_alter_table("message_threads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_threads_claimed_by"), ["claimed_by"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_message_threads_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_message_threads_state"), ["state"], unique=False)

    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["staff_users.id"],
            name=op.f("fk_thread_messages_expert_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["message_threads.id"],
            name=op.f("fk_thread_messages_thread_id_message_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_messages")),
    )
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thread_messages_thread_id"), ["thread_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_messages_thread_id"))

    op.drop_table("thread_messages")
    with op.batch_alter_table("message_threads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_threads_state"))
        batch_op.drop_index(batch_op.f("ix_message_threads_expires_at"))
        batch_op.drop_index(batch_op.f("ix_message_threads_claimed_by"))

    op.drop_table("message_threads")
    op.drop_table("safety_answer_counts")
    with op.batch_alter_table("message_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_records_left_at"))

    op.drop_table("message_records")
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_answers_answered_on"))

    op.drop_table("feedback_answers")
