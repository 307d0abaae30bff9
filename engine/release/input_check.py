"""Judging a release's inputs when there is nothing to release: the read-only checks of
preflight (`Services.judge_inputs`) against a scratch run that is never stored.

Cron runs `bluegreen full` every few minutes and most runs are no-ops; without this, an
unknown alarm or a record outside its zone would pass unnoticed until the next real release.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.domain.errors import CloudError, StepFailed
from engine.domain.model import EventSource, Run
from engine.domain.step import Action, StepContext
from engine.release.drive import Services
from engine.release.observer import NullObserver
from engine.release.requests import ReleaseRequest


class ScratchJournal:
    """A journal that keeps facts on the scratch run in memory and drops events."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def record_facts(self, **changes: str | datetime | None) -> None:
        for name, value in changes.items():
            setattr(self.run.facts, name, value)

    def event(self, source: EventSource, message: str, **data: Any) -> None:
        """Nothing to record: no run exists."""


def judge_inputs(services: Services, request: ReleaseRequest, check: Action | None) -> None:
    """Raise ConfigurationError when `check` finds an input bad; nothing is stored. AWS out of
    reach is no verdict: with nothing to release, the release is still a no-op."""
    if check is None:
        return
    run = request.new_run(services.clock.now())
    journal = ScratchJournal(run)
    waiter = services.poller.waiter_for(run, journal, NullObserver())  # type: ignore[arg-type]
    context = StepContext(
        run, services.beanstalk, services.artifacts, services.probe, waiter, journal,
        services.clock, services.deadlines, services.alarms, services.dns, services.parameters,
    )  # fmt: skip
    try:
        check(context)
    except (CloudError, StepFailed):
        return
