"""Runs remember their last request to EB (what and when, recorded before the call) and are
stamped with the engine version and revision that created them.

Revision ID: 0002_run_stamp
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_run_stamp"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def columns() -> list[sa.Column[object]]:
    return [
        sa.Column("requested", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.String(64), nullable=True),
        sa.Column("engine_version", sa.String(64), nullable=True),
        sa.Column("engine_revision", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        for column in columns():
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        for column in reversed(columns()):
            batch.drop_column(column.name)
