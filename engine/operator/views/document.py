"""The one dictionary of a run that every view starts from: `runs`, `status`, progress, webhooks.

Views add what they are about (durations, lease, outcome) to `run_document(run)`; none
spells out a run's identity fields again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.domain.durations import utc
from engine.domain.model import Run


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, or None."""
    if moment is None:
        return None
    return utc(moment).isoformat().replace("+00:00", "Z")


def run_document(run: Run) -> dict[str, Any]:
    """Who the run is: its id, target, green, mode, versions, state and creation time."""
    return {
        "id": run.id,
        "app": run.target.app,
        "blue": run.target.blue,
        "green": run.green,
        "region": run.target.region,
        "mode": run.mode.value,
        "strategy": run.strategy.value,
        "version_label": run.version_label,
        "previous_version_label": run.facts.previous_version_label,
        "state": run.state.value,
        "created_at": iso(run.created_at),
    }


def without(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The document less some keys (a view that names them otherwise)."""
    return {key: value for key, value in document.items() if key not in keys}
