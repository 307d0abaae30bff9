"""FakeWorld: every fake wired together, with a seeded release and its StepContext; make_run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from engine.domain.model import Bundle, HealthCheck, Mode, Run, RunId, State, Target
from engine.domain.ports.alarms import Alarms
from engine.domain.ports.cloud import ArtifactStore, Beanstalk, HealthProbe
from engine.domain.ports.dns import Dns, ParameterStore
from engine.domain.ports.hooks import HookRunner
from engine.domain.ports.runtime import Clock, Deadlines, Journal, Waiter
from engine.domain.step import StepContext
from tests.fakes.alarms import FakeAlarms
from tests.fakes.artifacts import FakeArtifactStore
from tests.fakes.beanstalk import FakeBeanstalk
from tests.fakes.clock import FakeClock
from tests.fakes.dns import FakeDns, FakeParameterStore
from tests.fakes.environment import REGION
from tests.fakes.hooks import FakeHookRunner
from tests.fakes.journal import RecordingJournal
from tests.fakes.probe import FakeHealthProbe
from tests.fakes.waiter import FakeWaiter


@dataclass
class FakeWorld:
    """Every fake wired together, with one RecordingJournal per run."""

    clock: FakeClock = field(default_factory=FakeClock)
    deadlines: Deadlines = field(default_factory=Deadlines)
    journals: dict[str, RecordingJournal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.artifacts = FakeArtifactStore()
        self.beanstalk = FakeBeanstalk(self.clock, self.artifacts)
        self.probe = FakeHealthProbe(self.clock, self.beanstalk)
        self.waiter = FakeWaiter(self.beanstalk, self.clock)
        self.alarms = FakeAlarms()
        self.dns = FakeDns()
        self.parameters = FakeParameterStore()
        self.hook_runner = FakeHookRunner()

    def seed_release(
        self,
        app: str = "shop",
        blue: str = "shop-blue",
        green: str = "shop-green",
        live_version: str = "v1",
        new_version: str = "v2",
        mode: Mode = Mode.FULL,
    ) -> Run:
        """An application whose blue runs `live_version` (Ready, Green) and a processed
        `new_version`, and a Run (state preflight) releasing it."""
        self.beanstalk.add_application(app)
        for label in (live_version, new_version):
            self.beanstalk.add_version(app, label)
        self.beanstalk.add_environment(app, blue, live_version, f"{blue}.{REGION}.eb.test")
        return make_run(app=app, blue=blue, green=green, version=new_version, mode=mode)

    def journal(self, run: Run) -> RecordingJournal:
        return self.journals.setdefault(run.id, RecordingJournal(run, self.clock))

    def context(self, run: Run) -> StepContext:
        return StepContext(
            run=run,
            beanstalk=self.beanstalk,
            artifacts=self.artifacts,
            probe=self.probe,
            waiter=self.waiter,
            journal=self.journal(run),
            clock=self.clock,
            deadlines=self.deadlines,
            alarms=self.alarms,
            dns=self.dns,
            parameters=self.parameters,
            hook_runner=self.hook_runner,
        )


def make_run(
    app: str = "shop",
    blue: str = "shop-blue",
    green: str = "shop-green",
    version: str = "v2",
    mode: Mode = Mode.FULL,
    bundle: Bundle | None = None,
    run_id: str = "r-0001",
    health: HealthCheck | None = None,
) -> Run:
    at = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    return Run(
        id=RunId(run_id),
        target=Target(REGION, app, blue),
        green=green,
        mode=mode,
        version_label=version,
        health=health or HealthCheck(interval_seconds=2.0, deadline_seconds=120.0),
        state=State.PREFLIGHT,
        created_at=at,
        updated_at=at,
        bundle=bundle,
    )


def _protocols_are_implemented(world: FakeWorld, run: Run) -> None:
    """Never called: mypy checks here that each fake implements its port."""
    _beanstalk: Beanstalk = world.beanstalk
    _artifacts: ArtifactStore = world.artifacts
    _probe: HealthProbe = world.probe
    _clock: Clock = world.clock
    _journal: Journal = world.journal(run)
    _waiter: Waiter = world.waiter
    _alarms: Alarms = world.alarms
    _dns: Dns = world.dns
    _parameters: ParameterStore = world.parameters
    _hook_runner: HookRunner = world.hook_runner
