"""The crash test hook (inert unless set), and the lease heartbeat."""

from __future__ import annotations

from dataclasses import dataclass, field

from bluegreen_crash_hooks import CrashHook, CrashingBeanstalk

from engine.domain.model import RunId, State
from engine.release.leases import Heartbeat, new_owner_id
from tests.fakes import FakeBeanstalk, FakeClock, make_run
from tests.fakes.store import InMemoryRunStore
from tests.unit.release.fakes import eventually


@dataclass(frozen=True)
class RecordingHook(CrashHook):
    """Notes the points it passes instead of killing the process."""

    passed: list[str] = field(default_factory=list)

    def reached(self, point: str) -> None:
        self.passed.append(point)


def test_the_crash_hook_is_inert_when_the_variable_is_unset() -> None:
    hook = CrashHook.from_environ({})
    beanstalk = FakeBeanstalk(FakeClock())

    assert not hook.active
    assert hook.wrap(beanstalk, lambda: State.CLONING) is beanstalk
    hook.reached("state:cloning")  # nothing happens


def test_the_crash_hook_reads_its_point_from_the_environment() -> None:
    hook = CrashHook.from_environ({"BLUEGREEN_TEST_CRASH_AT": "swapping:after-call"})

    assert hook.active and hook.point == "swapping:after-call"


def test_mutating_calls_are_numbered_per_state_and_reads_are_not_counted() -> None:
    clock = FakeClock()
    fake = FakeBeanstalk(clock)
    fake.add_application("shop")
    blue = fake.add_environment("shop", "shop-blue", "v1")
    hook = RecordingHook("x")
    state = [State.CLONING]
    beanstalk = CrashingBeanstalk(fake, hook, lambda: state[0])

    beanstalk.describe_environments("shop")
    beanstalk.create_template("shop", "t1", blue.id, "")
    beanstalk.template_exists("shop", "t1")
    beanstalk.delete_template("shop", "t1")
    state[0] = State.CLEANING_UP
    beanstalk.create_template("shop", "t2", blue.id, "")

    assert hook.passed == [
        "cloning:before-call:1", "cloning:before-call",
        "cloning:after-call:1", "cloning:after-call",
        "cloning:before-call:2", "cloning:after-call:2",
        "cleaning_up:before-call:1", "cleaning_up:before-call",
        "cleaning_up:after-call:1", "cleaning_up:after-call",
    ]  # fmt: skip


def test_owner_ids_name_the_host_and_process_and_differ() -> None:
    first, second = new_owner_id(), new_owner_id()

    assert first != second
    assert first.split(":")[1] == second.split(":")[1]


class CountingStore(InMemoryRunStore):
    renewals = 0

    def renew(self, run_id: RunId, owner: str, lease_seconds: float) -> None:
        self.renewals += 1
        super().renew(run_id, owner, lease_seconds)


def test_the_heartbeat_renews_the_lease_and_notices_when_it_is_lost() -> None:
    clock = FakeClock()
    store = CountingStore(clock.now)
    run = make_run()
    store.create(run, "me", lease_seconds=60)

    with Heartbeat(store, run.id, "me", lease_seconds=0.03) as heartbeat:
        eventually(lambda: store.renewals >= 2)
        store.release(run.id, "me")
        store.acquire(run.id, "someone-else", 60)
        eventually(lambda: heartbeat.lost is not None)

    assert "someone-else" in str(heartbeat.lost)
