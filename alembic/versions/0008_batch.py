"""Fleet releases: the batch (`submit --targets FILE`) a run belongs to.

Revision ID: 0008_batch
Revises: 0007_hooks_gate
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_batch"
down_revision: str | None = "0007_hooks_gate"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("batch", sa.String(length=64), nullable=True))
        batch.create_index("ix_runs_batch", ["batch"])


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_index("ix_runs_batch")
        batch.drop_column("batch")
