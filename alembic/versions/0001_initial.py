"""Initial schema: runs (leases, one unfinished run per target), transitions, events.

Revision ID: 0001
Revises:
Create Date: 2024-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = 255
STAMP = sa.DateTime(timezone=True)  # storage.models.UtcDateTime stores through this


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("app", sa.String(NAME), nullable=False),
        sa.Column("blue", sa.String(NAME), nullable=False),
        sa.Column("green", sa.String(NAME), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("version_label", sa.String(NAME), nullable=False),
        sa.Column("input_bundle_path", sa.Text(), nullable=True),
        sa.Column("input_bundle_bucket", sa.String(NAME), nullable=True),
        sa.Column("health_check", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("blue_env_id", sa.String(NAME), nullable=True),
        sa.Column("blue_cname", sa.String(NAME), nullable=True),
        sa.Column("previous_version_label", sa.String(NAME), nullable=True),
        sa.Column("green_env_id", sa.String(NAME), nullable=True),
        sa.Column("green_cname", sa.String(NAME), nullable=True),
        sa.Column("template_name", sa.String(NAME), nullable=True),
        sa.Column("bundle_bucket", sa.String(NAME), nullable=True),
        sa.Column("bundle_key", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("rollback_reason", sa.Text(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("finished_at", STAMP, nullable=True),
        sa.Column("lease_owner", sa.String(NAME), nullable=True),
        sa.Column("lease_expires_at", STAMP, nullable=True),
        sa.Column("active_target", sa.String(1024), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.UniqueConstraint("active_target", name="uq_runs_active_target"),
    )
    for column in ("created_at", "app", "blue", "state", "finished_at"):
        op.create_index(f"ix_runs_{column}", "runs", [column])

    op.create_table(
        "transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(32), nullable=True),
        sa.Column("to_state", sa.String(32), nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_transitions_run_id_runs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_transitions"),
    )
    op.create_index("ix_transitions_run_id", "transitions", ["run_id"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_events_run_id_runs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_run_id_at", "events", ["run_id", "at"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("transitions")
    op.drop_table("runs")
