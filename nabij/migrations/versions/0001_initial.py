"""Initial schema: staff, sessions, shifts, conversation records and registrations.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:25:20.509790
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("focus", sa.String(length=128), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("cooldown_s", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_users_username")),
    )

    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_sessions_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_sessions")),
    )
    op.create_index(op.f("ix_staff_sessions_user_id"), "staff_sessions", ["user_id"])

    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_shifts_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
    )
    op.create_index(op.f("ix_shifts_user_id"), "shifts", ["user_id"])
    op.create_index(op.f("ix_shifts_starts_at"), "shifts", ["starts_at"])
    op.create_index(op.f("ix_shifts_ends_at"), "shifts", ["ends_at"])

    op.create_table(
        "conversation_records",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("wait_s", sa.Integer(), nullable=True),
        sa.Column("talk_s", sa.Integer(), nullable=True),
        sa.Column("expert_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["staff_users.id"],
            name=op.f("fk_conversation_records_expert_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_records")),
    )
    op.create_index(
        op.f("ix_conversation_records_requested_at"), "conversation_records", ["requested_at"]
    )
    op.create_index(
        op.f("ix_conversation_records_expert_id"), "conversation_records", ["expert_id"]
    )

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("contact_date", sa.Date(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("contact_type", sa.String(length=16), nullable=True),
        sa.Column("first_or_followup", sa.String(length=8), nullable=True),
        sa.Column("contact_seeker", sa.String(length=16), nullable=True),
        sa.Column("referral", sa.String(length=24), nullable=True),
        sa.Column("referral_other", sa.String(length=100), nullable=True),
        sa.Column("support", sa.JSON(), nullable=False),
        sa.Column("advised_help", sa.JSON(), nullable=False),
        sa.Column("advised_help_other", sa.String(length=100), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["staff_users.id"], name=op.f("fk_registrations_expert_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_registrations_conversation_id")),
    )
    op.create_index(op.f("ix_registrations_expert_id"), "registrations", ["expert_id"])
    op.create_index(op.f("ix_registrations_status"), "registrations", ["status"])
    op.create_index(op.f("ix_registrations_contact_date"), "registrations", ["contact_date"])


def downgrade() -> None:
    """Downgrade the schema (dropping a table drops its indexes)."""
    op.drop_table("registrations")
    op.drop_table("conversation_records")
    op.drop_table("shifts")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
