"""Private calendar feeds and shift swap/drop requests.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:06:13.001194
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "calendar_tokens",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_calendar_tokens_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_tokens_token_hash")),
    )
    op.create_table(
        "shift_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["staff_users.id"],
            name=op.f("fk_shift_requests_decided_by_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["staff_users.id"],
            name=op.f("fk_shift_requests_requester_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_shift_requests_shift_id_shifts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"],
            ["staff_users.id"],
            name=op.f("fk_shift_requests_to_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_requests")),
    )
    with op.batch_alter_table("shift_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_requests_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shift_requests_status"), ["status"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("shift_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_requests_status"))
        batch_op.drop_index(batch_op.f("ix_shift_requests_shift_id"))

    op.drop_table("shift_requests")
    op.drop_table("calendar_tokens")
