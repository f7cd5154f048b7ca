"""Roster: recurring shift patterns and their skipped days, chat hours, the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:59:50.099706
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "chat_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(length=27), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_hours")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_users.id"],
            name=op.f("fk_audit_log_actor_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "shift_patterns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(length=27), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("generated_until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_shift_patterns_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_patterns")),
    )
    with op.batch_alter_table("shift_patterns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_patterns_user_id"), ["user_id"], unique=False)

    op.create_table(
        "shift_pattern_skips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pattern_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["shift_patterns.id"],
            name=op.f("fk_shift_pattern_skips_pattern_id_shift_patterns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_pattern_skips")),
        sa.UniqueConstraint("pattern_id", "day", name=op.f("uq_shift_pattern_skips_pattern_id")),
    )
    with op.batch_alter_table("shift_pattern_skips", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shift_pattern_skips_pattern_id"), ["pattern_id"], unique=False
        )

    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pattern_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_shifts_pattern_id"), ["pattern_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_shifts_pattern_id_shift_patterns"),
            "shift_patterns",
            ["pattern_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_shifts_pattern_id_shift_patterns"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_shifts_pattern_id"))
        batch_op.drop_column("pattern_id")

    with op.batch_alter_table("shift_pattern_skips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_pattern_skips_pattern_id"))

    op.drop_table("shift_pattern_skips")
    with op.batch_alter_table("shift_patterns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_patterns_user_id"))

    op.drop_table("shift_patterns")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("chat_hours")
