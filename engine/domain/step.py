"""What a lifecycle step is: the context it receives (run, cloud ports, engine services).

A step is `def run(ctx: StepContext) -> Trigger`: it reads what exists, compares it with what
the run wants, does only the missing part, records what it learned, and returns the trigger
of its happy path. It raises `engine.domain.errors.StepFailed` (or lets a `CloudError` escape)
when the release cannot go on; the engine then rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.domain.model import Run, Trigger
from engine.domain.ports.alarms import Alarms, NoAlarms
from engine.domain.ports.cloud import ArtifactStore, Beanstalk, HealthProbe
from engine.domain.ports.dns import Dns, ParameterStore
from engine.domain.ports.hooks import HookRunner
from engine.domain.ports.runtime import Clock, Deadlines, Journal, Waiter


@dataclass
class StepContext:
    """Everything a step may use; nothing else (no settings object, no vendor client)."""

    run: Run
    beanstalk: Beanstalk
    artifacts: ArtifactStore
    probe: HealthProbe
    waiter: Waiter
    journal: Journal
    clock: Clock
    deadlines: Deadlines
    alarms: Alarms = field(default_factory=NoAlarms)
    # Route 53 and SSM, for custom domains (states.shared.records); None when not wired.
    dns: Dns | None = None
    parameters: ParameterStore | None = None
    # Runs the operator's lifecycle hooks (states.shared.hooks); None when not wired.
    hook_runner: HookRunner | None = None


# A lifecycle step: reads what exists, does the missing part, returns its happy-path trigger.
Action = Callable[[StepContext], Trigger]
