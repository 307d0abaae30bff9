"""What the runner tells whoever watches it: the terminal, a log collector, a notifier.

The runner calls an `Observer`; `engine.operator.progress` renders it (Rich live view on a terminal,
plain timestamped lines or JSON lines when unattended). Observers must never raise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from engine.domain.lifecycle import Verdict
from engine.domain.model import EventRecord, Run, TransitionRecord
from engine.domain.ports.cloud import Environment


@dataclass(frozen=True)
class Outcome:
    """How a drive of a run ended, and the exit code the CLI gives it."""

    run: Run
    exit_code: int
    summary: str
    # The drive stopped for a reason that passes by itself (the database failed, this
    # runner's lease ran out locally, a drain asked it to stop): another drive may continue
    # the run at once. False for what needs an operator (an input to give again, a refusal).
    passing: bool = False
    # What the run's state and history mean to its caller (engine.domain.verdicts); None
    # when the drive stopped mid-way for a reason of its own (lease lost, database down).
    verdict: Verdict | None = None


class Observer(Protocol):
    def run_started(self, run: Run) -> None:
        """Called once per drive (start, resume, cutover, rollback), before any action."""
        ...

    def transitioned(self, run: Run, record: TransitionRecord) -> None: ...

    def event(self, record: EventRecord) -> None:
        """An EB event, a probe result, an AWS error or retry, an operator action."""
        ...

    def waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        """A poll of a wait: what the step waits for and how each environment looks now."""
        ...

    def finished(self, outcome: Outcome) -> None: ...


class NullObserver:
    """Watches nothing (tests, library use)."""

    def run_started(self, run: Run) -> None:
        pass

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        pass

    def event(self, record: EventRecord) -> None:
        pass

    def waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        pass
