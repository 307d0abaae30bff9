"""Release strategies: each run records how it moves live traffic (swap-back, swap-and-keep,
traffic-split). Additive: runs written before strategies existed read as swap-back (NULL).

Revision ID: 0006_strategy
Revises: 0005_route53
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_strategy"
down_revision: str | None = "0005_route53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("strategy", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("strategy")
