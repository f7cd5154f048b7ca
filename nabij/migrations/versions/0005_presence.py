"""Presence history of staff consoles (to find shifts nobody came to).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:11:36.189857
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "presence_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_presence_periods_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence_periods")),
    )
    with op.batch_alter_table("presence_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_presence_periods_started_at"), ["started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_presence_periods_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("presence_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presence_periods_user_id"))
        batch_op.drop_index(batch_op.f("ix_presence_periods_started_at"))

    op.drop_table("presence_periods")
