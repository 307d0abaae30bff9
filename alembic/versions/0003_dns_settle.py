"""Zero downtime under real DNS: when the CNAMEs last moved each way, and each run's guards
(DNS settle time, bake window, CloudWatch alarms). Additive: old runs read the defaults.

Revision ID: 0003_dns_settle
Revises: 0002_run_stamp
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_dns_settle"
down_revision: str | None = "0002_run_stamp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.DateTime(timezone=True)  # storage.models.UtcDateTime stores through this


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("swapped_at", STAMP, nullable=True))
        batch.add_column(sa.Column("swapped_back_at", STAMP, nullable=True))
        batch.add_column(sa.Column("guards", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("guards")
        batch.drop_column("swapped_back_at")
        batch.drop_column("swapped_at")
