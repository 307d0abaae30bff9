"""The shared poller: one DescribeEnvironments per tick for every wait, adaptive interval."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain.errors import DeadlineExceeded, StepFailed
from engine.domain.ports.cloud import EbEvent
from engine.domain.ports.runtime import Condition, Snapshot
from engine.release.interrupt import Interrupt, Interrupted
from engine.release.poller import SharedPoller
from tests.unit.release.fakes import (
    ManualClock,
    PollingBeanstalk,
    RecordingSink,
    environment,
    eventually,
    in_thread,
    watching,
)


def make_poller(beanstalk: PollingBeanstalk, clock: ManualClock, **options: object) -> SharedPoller:
    return SharedPoller(beanstalk, clock, Interrupt(), start_thread=False, **options)  # type: ignore[arg-type]


def ready(env_id: str) -> Condition:
    def condition(snapshot: Snapshot) -> bool:
        env = snapshot[env_id]
        return env is not None and env.is_ready

    return condition


def start_wait(poller: SharedPoller, env_id: str, sink: RecordingSink, deadline: float = 60):
    return in_thread(
        lambda: poller.wait(f"{env_id} Ready", "app", [env_id], ready(env_id), deadline, sink)
    )


def test_many_concurrent_waits_share_one_describe_call_per_tick() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    ids = [f"e-{n}" for n in range(10)]
    beanstalk.environments = {i: environment(i, f"env-{i}", "Launching") for i in ids}
    poller = make_poller(beanstalk, clock)
    waits = [start_wait(poller, i, RecordingSink()) for i in ids]
    eventually(lambda: watching(poller) == 10)

    poller.tick()
    for i in ids:
        beanstalk.environments[i] = environment(i, f"env-{i}")
    poller.tick()

    for thread, box in waits:
        thread.join(5)
        assert box["result"] is not None
    assert beanstalk.describe_calls == [tuple(sorted(ids))] * 2


def test_a_wait_returns_the_snapshot_in_which_its_condition_held() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Launching")
    poller = make_poller(beanstalk, clock)
    sink = RecordingSink()
    thread, box = start_wait(poller, "e-1", sink)
    eventually(lambda: watching(poller) == 1)

    poller.tick()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Ready")
    poller.tick()
    thread.join(5)

    assert box["result"]["e-1"].status == "Ready"
    assert [env[0].status for _, env in sink.polls] == ["Launching", "Ready"]
    assert watching(poller) == 0


def test_a_wait_past_its_deadline_names_what_it_waited_for_and_the_last_status() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Launching", health="Grey")
    poller = make_poller(beanstalk, clock)
    thread, box = start_wait(poller, "e-1", RecordingSink(), deadline=30)
    eventually(lambda: watching(poller) == 1)

    poller.tick()
    clock.advance(31)
    poller.tick()
    thread.join(5)

    error = box["error"]
    assert isinstance(error, DeadlineExceeded)
    assert "e-1 Ready" in str(error) and "30s" in str(error)
    assert "green (e-1): Launching, health Grey" in str(error)


def test_a_condition_that_raises_fails_only_its_own_wait() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments = {"e-1": environment("e-1", "a"), "e-2": environment("e-2", "b")}
    poller = make_poller(beanstalk, clock)

    def broken(snapshot: Snapshot) -> bool:
        raise StepFailed("green went Red")

    failing = in_thread(lambda: poller.wait("x", "app", ["e-1"], broken, 60, RecordingSink()))
    fine = start_wait(poller, "e-2", RecordingSink())
    eventually(lambda: watching(poller) == 2)
    poller.tick()
    for thread, _ in (failing, fine):
        thread.join(5)

    assert isinstance(failing[1]["error"], StepFailed)
    assert fine[1]["result"]["e-2"].is_ready


def test_throttling_doubles_the_interval_up_to_the_maximum_then_decays_to_the_base() -> None:
    beanstalk, clock = PollingBeanstalk(throttle_next=4), ManualClock()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Launching")
    poller = make_poller(beanstalk, clock, base_interval=1.0, max_interval=5.0)
    sink = RecordingSink()
    thread, _ = start_wait(poller, "e-1", sink)
    eventually(lambda: watching(poller) == 1)

    pauses = [poller.tick() for _ in range(7)]

    assert pauses == [2.0, 4.0, 5.0, 5.0, 2.5, 1.25, 1.0]
    assert len(sink.errors) == 4 and "Rate exceeded" in sink.errors[0]
    beanstalk.environments["e-1"] = environment("e-1", "green")
    poller.tick()
    thread.join(5)


def test_throttling_that_never_ends_still_stops_at_the_deadline() -> None:
    beanstalk, clock = PollingBeanstalk(throttle_next=100), ManualClock()
    poller = make_poller(beanstalk, clock)
    thread, box = start_wait(poller, "e-1", RecordingSink(), deadline=10)
    eventually(lambda: watching(poller) == 1)

    poller.tick()
    clock.advance(11)
    poller.tick()
    thread.join(5)

    assert isinstance(box["error"], DeadlineExceeded)
    assert "e-1: not seen" in str(box["error"])


def test_events_are_fetched_once_per_application_and_fanned_out_by_environment_name() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments = {
        "e-1": environment("e-1", "green-a", "Launching"),
        "e-2": environment("e-2", "green-b", "Launching"),
    }
    at = clock.now()
    beanstalk.event_log = [
        EbEvent(at, "createEnvironment is starting.", "INFO", "green-a"),
        EbEvent(at + timedelta(seconds=1), "createEnvironment is starting.", "INFO", "green-b"),
        EbEvent(at + timedelta(seconds=2), "someone else's", "INFO", "other-env"),
    ]
    poller = make_poller(beanstalk, clock, events_every=1)
    sink_a, sink_b = RecordingSink(), RecordingSink()
    waits = [start_wait(poller, "e-1", sink_a), start_wait(poller, "e-2", sink_b)]
    eventually(lambda: watching(poller) == 2)

    poller.tick()

    assert len(beanstalk.events_calls) == 1
    assert beanstalk.events_calls[0][2] == ("green-a", "green-b")
    assert [e.environment_name for e in sink_a.eb_events] == ["green-a"]
    assert [e.environment_name for e in sink_b.eb_events] == ["green-b"]
    for i in ("e-1", "e-2"):
        beanstalk.environments[i] = replace(beanstalk.environments[i], status="Ready")
    poller.tick()
    assert beanstalk.events_calls[1][1] == at + timedelta(seconds=2)
    for thread, _ in waits:
        thread.join(5)


def test_events_are_streamed_only_every_few_ticks_and_when_a_wait_finishes() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Launching")
    poller = make_poller(beanstalk, clock, events_every=3)
    thread, _ = start_wait(poller, "e-1", RecordingSink())
    eventually(lambda: watching(poller) == 1)

    for _ in range(4):
        poller.tick()
    assert len(beanstalk.events_calls) == 1
    beanstalk.environments["e-1"] = environment("e-1", "green")
    poller.tick()
    assert len(beanstalk.events_calls) == 2
    thread.join(5)


def test_an_interrupt_ends_every_wait_with_interrupted() -> None:
    beanstalk = PollingBeanstalk()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Launching")
    interrupt = Interrupt()
    poller = SharedPoller(beanstalk, ManualClock(), interrupt, base_interval=0.01)  # type: ignore[arg-type]
    thread, box = start_wait(poller, "e-1", RecordingSink())
    eventually(lambda: len(beanstalk.describe_calls) >= 2)

    interrupt.request("interrupted by SIGTERM")
    thread.join(5)

    assert isinstance(box["error"], Interrupted)
    assert box["error"].reason == "interrupted by SIGTERM"


def test_the_ticker_thread_notices_a_finished_operation_and_then_stops() -> None:
    beanstalk = PollingBeanstalk()
    beanstalk.environments["e-1"] = environment("e-1", "green", "Launching")
    poller = SharedPoller(beanstalk, ManualClock(), Interrupt(), base_interval=0.005)  # type: ignore[arg-type]
    thread, box = start_wait(poller, "e-1", RecordingSink())
    eventually(lambda: len(beanstalk.describe_calls) >= 3)

    beanstalk.environments["e-1"] = environment("e-1", "green", "Ready")
    thread.join(5)

    assert box["result"]["e-1"].is_ready
    calls = len(beanstalk.describe_calls)
    eventually(lambda: poller._thread is None)
    assert len(beanstalk.describe_calls) == calls


def test_an_interrupt_before_the_wait_starts_raises_at_once() -> None:
    interrupt = Interrupt()
    interrupt.request("interrupted by SIGINT")
    poller = SharedPoller(PollingBeanstalk(), ManualClock(), interrupt)  # type: ignore[arg-type]
    with pytest.raises(Interrupted):
        poller.wait("x", "app", ["e-1"], ready("e-1"), 60, RecordingSink())
