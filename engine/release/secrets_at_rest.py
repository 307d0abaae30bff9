"""The health URL's secrets kept out of the run history: its query tokens and user info are
masked in everything stored (the run's inputs and error, transitions, events), and in what
the webhook is sent. The real URL stays in this process's memory, where the probe uses it.

A run read back gets its real URL again only when this process was given the same URL
(`--health-path` / RELEASE_HEALTH_CHECKING_PATH), e.g. on `bluegreen resume`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from engine.domain.health_urls import SECRET_MASK, has_secrets, secrets_of, without_secrets
from engine.domain.model import EventRecord, Run, RunId, Target, TransitionRecord
from engine.domain.ports.store import RunQuery, RunStore


@dataclass(frozen=True)
class HealthSecrets:
    """The real health path (maybe with secrets) and the values to mask wherever they go."""

    real_path: str = "/"
    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, path: str) -> HealthSecrets:
        return cls(path, secrets_of(path))

    def text(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, SECRET_MASK)
        return text

    def maybe(self, text: str | None) -> str | None:
        return None if text is None else self.text(text)

    def data(self, value: Any) -> Any:
        """Every string inside JSON-like data masked (keys too: they may be URLs)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.data(key): self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value

    def stored(self, run: Run) -> Run:
        """A copy of `run` as it may be stored; `run` itself keeps the real URL."""
        health = replace(run.health, path=self.text(without_secrets(run.health.path)))
        return replace(
            run,
            health=health,
            error=self.maybe(run.error),
            rollback_reason=self.maybe(run.rollback_reason),
        )

    def restored(self, run: Run) -> Run:
        """`run` as read, with its real URL when this process was given it."""
        given = self.real_path
        if has_secrets(given) and run.health.path == without_secrets(given):
            run.health = replace(run.health, path=given)
        return run

    def transition(self, record: TransitionRecord) -> TransitionRecord:
        return replace(record, detail=self.maybe(record.detail))

    def event(self, record: EventRecord) -> EventRecord:
        return replace(record, message=self.text(record.message), data=self.data(record.data))


class SecretFreeStore:
    """A RunStore that writes through `HealthSecrets.stored` and reads through `restored`."""

    def __init__(self, inner: RunStore, secrets: HealthSecrets) -> None:
        self._inner = inner
        self._secrets = secrets

    def create(self, run: Run, owner: str, lease_seconds: float) -> None:
        self._inner.create(self._secrets.stored(run), owner, lease_seconds)

    def save(
        self,
        run: Run,
        owner: str,
        transition: TransitionRecord | None = None,
        events: Sequence[EventRecord] = (),
    ) -> None:
        clean = self._secrets
        self._inner.save(
            clean.stored(run),
            owner,
            clean.transition(transition) if transition else None,
            [clean.event(event) for event in events],
        )

    def add_events(self, events: Sequence[EventRecord]) -> None:
        self._inner.add_events([self._secrets.event(event) for event in events])

    def get(self, run_id: RunId) -> Run:
        return self._secrets.restored(self._inner.get(run_id))

    def find_unfinished(self, target: Target) -> Run | None:
        found = self._inner.find_unfinished(target)
        return None if found is None else self._secrets.restored(found)

    def acquire(self, run_id: RunId, owner: str, lease_seconds: float) -> Run:
        return self._secrets.restored(self._inner.acquire(run_id, owner, lease_seconds))

    def take_over(self, run_id: RunId, owner: str, lease_seconds: float, dead_owner: str) -> Run:
        taken = self._inner.take_over(run_id, owner, lease_seconds, dead_owner)
        return self._secrets.restored(taken)

    def list_runs(self, query: RunQuery) -> list[Run]:
        return [self._secrets.restored(run) for run in self._inner.list_runs(query)]

    def renew(self, run_id: RunId, owner: str, lease_seconds: float) -> None:
        self._inner.renew(run_id, owner, lease_seconds)

    def release(self, run_id: RunId, owner: str) -> None:
        self._inner.release(run_id, owner)

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        return self._inner.transitions(run_id)

    def events(self, run_id: RunId) -> list[EventRecord]:
        return self._inner.events(run_id)

    def prune(self, finished_before: datetime) -> int:
        return self._inner.prune(finished_before)

    def close(self) -> None:
        self._inner.close()
