"""Reports: why a request was missed, and the anonymous widget-open counter.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema (older missed records keep no reason: counted as unknown)."""
    with op.batch_alter_table("conversation_records") as batch:
        batch.add_column(sa.Column("missed_reason", sa.String(length=16), nullable=True))
    op.create_table(
        "widget_open_counts",
        sa.Column("hour_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour_start", name=op.f("pk_widget_open_counts")),
    )


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_table("widget_open_counts")
    with op.batch_alter_table("conversation_records") as batch:
        batch.drop_column("missed_reason")
