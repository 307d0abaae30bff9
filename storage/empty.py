"""EmptyHistory: what the read commands see of a SQLite history that does not exist yet.

Reading must not create the file (a mistyped `--database-url` would leave one behind), so
`runs list` and `status` show nothing and `runs show` finds no run.
"""

from __future__ import annotations

from datetime import datetime

from engine.domain import refusals
from engine.domain.model import EventRecord, Run, RunId, TransitionRecord
from engine.domain.ports.store import RunQuery


class EmptyHistory:
    """The `RunHistory` port with no runs in it."""

    def get(self, run_id: RunId) -> Run:
        raise refusals.run_not_found(run_id)

    def list_runs(self, query: RunQuery) -> list[Run]:
        return []

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        return []

    def events(self, run_id: RunId) -> list[EventRecord]:
        return []

    def prune(self, finished_before: datetime) -> int:
        return 0

    def close(self) -> None:
        return None
