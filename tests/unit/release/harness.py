"""A runner wired to fakes: scripted step actions, the in-memory store, the fake cloud."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from engine.domain.model import Mode, Run, State, Trigger
from engine.domain.ports.runtime import Waiter
from engine.domain.ports.store import RunQuery
from engine.domain.step import StepContext
from engine.release.drive import Services
from engine.release.interrupt import Interrupt
from engine.release.journal import RunJournal
from engine.release.observer import Observer
from engine.release.requests import ReleaseRequest
from engine.release.runner import Runner
from tests.fakes import FakeWaiter, FakeWorld
from tests.fakes.store import InMemoryRunStore
from tests.unit.release.fakes import RecordingObserver

HAPPY: dict[State, Trigger] = {
    State.QUEUED: Trigger.START,
    State.PREFLIGHT: Trigger.PREFLIGHT_PASSED,
    State.CLONING: Trigger.CLONED,
    State.SWAPPING: Trigger.SWAPPED,
    State.DEPLOYING: Trigger.DEPLOYED,
    State.VERIFYING: Trigger.VERIFIED,
    State.CUTTING_OVER: Trigger.CUT_OVER,
    State.BAKING: Trigger.BAKED,
    State.CLEANING_UP: Trigger.CLEANED_UP,
    State.ROLLING_BACK: Trigger.UNDONE,
}
Behaviour = Callable[[StepContext], Trigger]


@dataclass
class FakeWaiters:
    """Hands every drive the fake world's synchronous waiter."""

    waiter: FakeWaiter

    def waiter_for(self, run: Run, journal: RunJournal, observer: Observer) -> Waiter:
        return self.waiter


@dataclass
class ScriptedActions:
    """Step actions that note the stored state when they start, then do what is scripted
    (by default, return their happy-path trigger)."""

    store: InMemoryRunStore
    script: dict[State, list[Behaviour]] = field(default_factory=dict)
    calls: list[tuple[State, State]] = field(default_factory=list)

    def on(self, state: State, *behaviours: Behaviour) -> None:
        """The next calls of `state`'s action do these, in order."""
        self.script.setdefault(state, []).extend(behaviours)

    def mapping(self) -> dict[State, Callable[[StepContext], Trigger]]:
        return {state: partial(self._act, state) for state in HAPPY}

    def _act(self, state: State, ctx: StepContext) -> Trigger:
        self.calls.append((state, self.store.get(ctx.run.id).state))
        queued = self.script.get(state)
        if queued:
            return queued.pop(0)(ctx)
        if state is State.DEPLOYING and ctx.run.mode is Mode.DEPLOY:
            return Trigger.PAUSE  # as states.deploying decides it
        return HAPPY[state]

    @property
    def states(self) -> list[State]:
        return [state for state, _ in self.calls]


def fail_with(error: BaseException) -> Behaviour:
    def behave(ctx: StepContext) -> Trigger:
        raise error

    return behave


@dataclass
class Harness:
    """One world, one store, and runners (each its own owner) sharing them."""

    world: FakeWorld = field(default_factory=FakeWorld)
    interrupt: Interrupt = field(default_factory=Interrupt)
    observer: RecordingObserver = field(default_factory=RecordingObserver)
    real_steps: bool = False  # the states package's actions instead of scripted ones

    def __post_init__(self) -> None:
        self.store = InMemoryRunStore(self.world.clock.now)
        self.actions = ScriptedActions(self.store)
        seeded = self.world.seed_release()
        self.request = ReleaseRequest(seeded.target, seeded.green, seeded.version_label)

    def runner(self, owner: str = "host:1:aaaaaa", lease_seconds: float = 60.0) -> Runner:
        return Runner(self.services(owner, lease_seconds))

    def services(self, owner: str = "host:1:aaaaaa", lease_seconds: float = 60.0) -> Services:
        world = self.world
        return Services(
            store=self.store,
            beanstalk=world.beanstalk,
            artifacts=world.artifacts,
            probe=world.probe,
            poller=FakeWaiters(world.waiter),
            clock=world.clock,
            interrupt=self.interrupt,
            actions=self._actions(),
            deadlines=world.deadlines,
            lease_seconds=lease_seconds,
            owner=owner,
        )

    def _actions(self) -> dict[State, Behaviour]:
        if not self.real_steps:
            return self.actions.mapping()
        from states.registry import ACTIONS  # imported only by the tests that use the real steps

        return dict(ACTIONS)

    def only_run(self) -> Run:
        runs = self.store.list_runs(RunQuery())
        assert len(runs) == 1
        return runs[0]

    def path(self, run: Run) -> list[tuple[str | None, str, str]]:
        return [
            (t.from_state and t.from_state.value, t.to_state.value, t.trigger)
            for t in self.store.transitions(run.id)
        ]
