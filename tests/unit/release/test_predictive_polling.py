"""Predictive polling: sparse while an operation cannot be done yet, dense around its expected
end, learned from measured waits; one DescribeEnvironments still serves every wait."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

from engine.domain.model import EventRecord, EventSource, RunId
from engine.domain.ports.runtime import Condition, Snapshot
from engine.release.expectations import (
    PRIOR_SECONDS,
    PRIOR_SPREAD,
    Expectations,
    Sample,
    Window,
    operation_of,
    sample_of,
)
from engine.release.interrupt import Interrupt
from engine.release.poller import SharedPoller
from engine.release.schedule import DENSE_SECONDS, Cadence, interval
from tests.unit.release.fakes import (
    ManualClock,
    PollingBeanstalk,
    RecordingSink,
    environment,
    eventually,
    in_thread,
    watching,
)

CADENCE = Cadence.for_base(1.0)


def ready(env_id: str) -> Condition:
    def condition(snapshot: Snapshot) -> bool:
        env = snapshot[env_id]
        return env is not None and env.is_ready

    return condition


def test_before_the_window_the_poller_waits_long_but_lands_exactly_on_its_start() -> None:
    window = Window(100.0, 110.0, learned=True)

    assert interval(0.0, window, CADENCE) == 100.0 / 2  # two even quiet pauses of <= 60 s
    assert interval(90.0, window, CADENCE) == 10.0
    assert interval(99.5, window, CADENCE) == CADENCE.fine


def test_inside_a_learned_window_it_polls_every_base_interval() -> None:
    window = Window(100.0, 110.0, learned=True)

    assert interval(105.0, window, CADENCE) == CADENCE.fine


def test_inside_the_window_of_an_unconfirmed_prior_polls_are_dense_but_bounded() -> None:
    wide, narrow = Window(120.0, 480.0, learned=False), Window(100.0, 110.0, learned=False)

    assert interval(200.0, wide, CADENCE) == DENSE_SECONDS  # not 360 s / 20 polls = 18 s
    assert interval(105.0, narrow, CADENCE) == CADENCE.fine  # 10 s / 20 polls, never < base


def poll_times(window: Window, cadence: Cadence, until: float) -> list[float]:
    """When a wait following `interval()` polls, from its operation's start until `until`."""
    times, elapsed = [0.0], 0.0
    while elapsed < until:
        elapsed += interval(elapsed, window, cadence)
        times.append(elapsed)
    return times


def test_a_poll_lands_just_after_the_likeliest_end_not_just_before_it() -> None:
    prior = Window(171.0, 225.0, learned=False, expected=180.0)
    learned = Window(178.8, 181.2, learned=True, expected=180.0)

    for window in (prior, learned):
        times = poll_times(window, CADENCE, 200.0)
        after = min(t for t in times if t > 180.0)

        assert 180.0 < after <= 180.0 + CADENCE.fine / 2 + 1e-9
        gaps = [b - a for a, b in pairwise(times) if window.low <= a < window.high]
        assert max(gaps) <= DENSE_SECONDS + 1e-9  # dense inside the window


def test_the_dense_pause_is_in_aws_seconds_whatever_the_simulator_speed() -> None:
    at_10x = Cadence.for_base(0.125, time_scale=0.1)  # the simulator's poll interval at 10x

    assert at_10x.dense == DENSE_SECONDS * 0.1
    assert interval(20.0, Window(17.1, 22.5, learned=False, scale=0.1), at_10x) == at_10x.dense


def test_an_overdue_operation_is_polled_a_little_less_often_up_to_three_base_intervals() -> None:
    window = Window(100.0, 110.0, learned=True)

    assert interval(115.0, window, CADENCE) == 1.5
    assert interval(500.0, window, CADENCE) == 3.0


def test_the_quiet_pause_shrinks_with_the_base_interval_for_a_fast_simulator() -> None:
    fast = Cadence.for_base(0.05)

    assert fast.quiet == 60 * 0.05


def test_the_operation_is_read_from_what_eb_says_the_environments_are_doing() -> None:
    launching = environment("e-1", "green", "Launching")
    updating = environment("e-1", "blue", "Updating")
    other = environment("e-2", "green", "Updating")

    assert operation_of([launching]) == "launch"
    assert operation_of([updating]) == "update"
    assert operation_of([updating, other]) == "swap"
    assert operation_of([updating, environment("e-2", "green")]) == "update"  # not a swap
    assert operation_of([environment("e-1", "green", "Terminating")]) == "terminate"
    assert operation_of([environment("e-1", "green"), None]) is None


def test_without_history_the_window_opens_a_little_before_the_typical_duration() -> None:
    window = Expectations().window("shop", ["green"], "launch", 1.0)

    assert (window.low, window.high) == (0.97 * 180.0, 1.25 * 180.0)
    assert PRIOR_SPREAD == (0.97, 1.25) and PRIOR_SECONDS["launch"] == 180.0
    assert not window.learned


def test_learned_durations_narrow_the_window_most_specific_first() -> None:
    expectations = Expectations(time_scale=0.1)
    expectations.learn(Sample("shop", ("green",), "launch", 180.0))
    expectations.learn(Sample("shop", ("other",), "launch", 400.0))

    mine = expectations.window("shop", ["green"], "launch", 0.1)
    fresh = expectations.window("shop", ["new-env"], "launch", 0.1)

    assert mine.learned and 17.5 < mine.low < 18 < mine.high < 18.5
    assert fresh.low < 18 and fresh.high > 40  # the application's samples, both of them


def test_a_waited_event_in_the_history_reads_back_as_a_sample() -> None:
    record = EventRecord(
        RunId("r1"), ManualClock().now(), EventSource.ENGINE, "green Ready: launch took 180 s",
        {"waited": "launch", "application": "shop", "environments": ["green"], "seconds": 180.0},
    )  # fmt: skip

    assert sample_of(record) == Sample("shop", ("green",), "launch", 180.0)
    assert sample_of(EventRecord(RunId("r1"), record.at, EventSource.EB, "x", {})) is None


def launched_poller(clock: ManualClock, beanstalk: PollingBeanstalk) -> SharedPoller:
    expectations = Expectations()
    expectations.learn(Sample("app", ("green",), "launch", 180.0))
    return SharedPoller(
        beanstalk, clock, Interrupt(), base_interval=1.0, start_thread=False,  # type: ignore[arg-type]
        expectations=expectations,
    )  # fmt: skip


def test_a_learned_launch_is_polled_a_few_times_then_noticed_within_a_base_interval() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments["e-1"] = environment(
        "e-1", "green", "Launching", date_updated=clock.now()
    )
    poller = launched_poller(clock, beanstalk)
    sink = RecordingSink()
    thread, box = in_thread(
        lambda: poller.wait("green Ready", "app", ["e-1"], ready("e-1"), 600, sink)
    )
    eventually(lambda: watching(poller) == 1)

    elapsed = 0.0
    while elapsed < 180.0:
        pause = poller.tick()
        clock.advance(pause)
        elapsed += pause
    done = clock.now() - timedelta(seconds=elapsed - 180.0)
    beanstalk.environments["e-1"] = environment("e-1", "green", date_updated=done)
    poller.tick()
    thread.join(5)

    assert box["result"]["e-1"].is_ready
    assert len(beanstalk.describe_calls) <= 12  # the old fixed 1 s interval: 181
    ((_, completion, _),) = sink.completions
    assert completion.sample.operation == "launch"
    assert completion.lag is not None and completion.lag <= 1.0


def polls_until_seen(
    operation: str,
    status: str,
    took: float,
    poller: SharedPoller,
    beanstalk: PollingBeanstalk,
    clock: ManualClock,
) -> tuple[int, float]:
    """Run one wait on `poller` whose operation ends after `took` seconds: its polls and lag."""
    beanstalk.environments["e-1"] = environment("e-1", "green", status, date_updated=clock.now())
    sink = RecordingSink()
    done: Condition = lambda snap: (env := snap["e-1"]) is not None and env.status != status  # noqa: E731
    thread, _ = in_thread(lambda: poller.wait("green", "app", ["e-1"], done, 900, sink))
    eventually(lambda: watching(poller) == 1)
    before, elapsed = len(beanstalk.describe_calls), 0.0
    while elapsed < took:
        pause = poller.tick()
        clock.advance(pause)
        elapsed += pause
    ended = clock.now() - timedelta(seconds=elapsed - took)
    end_status = "Terminated" if operation == "terminate" else "Ready"
    beanstalk.environments["e-1"] = environment("e-1", "green", end_status, date_updated=ended)
    poller.tick()
    thread.join(5)
    ((_, completion, _),) = sink.completions
    assert completion.sample.operation == operation and completion.lag is not None
    return len(beanstalk.describe_calls) - before, completion.lag


def test_on_an_empty_history_an_operation_of_typical_length_is_seen_within_two_seconds() -> None:
    for operation, status in (("launch", "Launching"), ("terminate", "Terminating")):
        beanstalk, clock = PollingBeanstalk(), ManualClock()
        poller = SharedPoller(
            beanstalk, clock, Interrupt(), base_interval=1.25, start_thread=False,  # type: ignore[arg-type]
            expectations=Expectations(),
        )  # fmt: skip
        polls, lag = polls_until_seen(
            operation, status, PRIOR_SECONDS[operation], poller, beanstalk, clock
        )

        assert lag <= DENSE_SECONDS
        assert polls <= 16  # a few quiet pauses, then every 2 s from 97 % of the typical time


def test_the_next_release_polls_a_learned_operation_less_than_the_first() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    poller = SharedPoller(
        beanstalk, clock, Interrupt(), base_interval=1.25, start_thread=False,  # type: ignore[arg-type]
        expectations=Expectations(),
    )  # fmt: skip
    first, _ = polls_until_seen("launch", "Launching", 200.0, poller, beanstalk, clock)
    learned, lag = polls_until_seen("launch", "Launching", 200.0, poller, beanstalk, clock)

    assert learned < first and lag <= 1.25


def test_a_new_wait_is_polled_at_once_even_while_another_waits_quietly() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments["e-1"] = environment(
        "e-1", "green", "Launching", date_updated=clock.now()
    )
    beanstalk.environments["e-2"] = environment("e-2", "blue")
    poller = launched_poller(clock, beanstalk)
    first, _ = in_thread(
        lambda: poller.wait("green", "app", ["e-1"], ready("e-1"), 600, RecordingSink())
    )
    eventually(lambda: watching(poller) == 1)
    assert poller.tick() > 30  # the launch cannot be done for minutes

    second, box = in_thread(
        lambda: poller.wait("blue", "app", ["e-2"], ready("e-2"), 600, RecordingSink())
    )
    eventually(lambda: watching(poller) == 2)
    poller.tick()
    second.join(5)

    assert box["result"]["e-2"].is_ready
    beanstalk.environments["e-1"] = environment("e-1", "green")
    poller.tick()
    first.join(5)


def test_a_finished_wait_fetches_the_events_of_its_own_application_only() -> None:
    beanstalk, clock = PollingBeanstalk(), ManualClock()
    beanstalk.environments["e-1"] = environment("e-1", "green-a", "Launching")
    beanstalk.environments["e-2"] = replace(
        environment("e-2", "green-b", "Launching"), application="other"
    )
    poller = SharedPoller(
        beanstalk, clock, Interrupt(), start_thread=False, events_every=1,  # type: ignore[arg-type]
        expectations=Expectations(), events_seconds=60,
    )  # fmt: skip
    mine, _ = in_thread(
        lambda: poller.wait("a", "app", ["e-1"], ready("e-1"), 600, RecordingSink())
    )
    other, _ = in_thread(
        lambda: poller.wait("b", "other", ["e-2"], ready("e-2"), 600, RecordingSink())
    )
    eventually(lambda: watching(poller) == 2)
    poller.tick()  # the first look: a wait's start counts as its application's last fetch
    assert beanstalk.events_calls == []

    clock.advance(5)
    beanstalk.environments["e-1"] = environment("e-1", "green-a")
    poller.tick()
    mine.join(5)

    assert [call[0] for call in beanstalk.events_calls] == ["app"]
    beanstalk.environments["e-2"] = environment("e-2", "green-b")
    poller.tick()
    other.join(5)


def test_a_wait_says_in_aws_seconds_whether_it_took_as_long_as_expected() -> None:
    from engine.release.expectations import Sample
    from engine.release.waits import timeliness

    fast_sim = Window(2.4, 9.6, learned=False, scale=1 / 50)  # the 300 s launch prior at 50x
    launch = Sample("shop", ("shop-green",), "launch", 180.4)

    assert timeliness(launch, fast_sim) == ", as expected (120-480 s; 3.6 s here at 50x speed)"
    late = Sample("shop", ("shop-green",), "launch", 900.0)
    assert timeliness(late, Window(120, 480, learned=False)) == ", later than expected (120-480 s)"


def test_the_first_release_of_a_target_says_a_typical_launch_was_as_expected() -> None:
    from engine.release.waits import timeliness

    for scale in (1.0, 0.1):  # AWS itself, and the simulator at 10x
        window = Expectations(time_scale=scale).window("shop", ["shop-green"], "launch", scale)
        launch = Sample("shop", ("shop-green",), "launch", 180.6)

        line = timeliness(launch, window)

        assert line.startswith(", as expected (175-225 s"), line
