"""Lifecycle hooks and the timed cutover gate: the hook points done, the gate's deadline.

Revision ID: 0007_hooks_gate
Revises: 0006_strategy
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_hooks_gate"
down_revision: str | None = "0006_strategy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("hooks_done", sa.Text(), nullable=True))
        batch.add_column(sa.Column("gate_deadline", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("gate_deadline")
        batch.drop_column("hooks_done")
