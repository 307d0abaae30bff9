"""FreshReads: a read is answered again from an answer at most `max_age` old, only while no
change went through it, and only for the same question (engine.release.fresh_reads)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import pytest

from engine.domain.errors import ServiceError
from engine.domain.ports.cloud import EbEvent, Environment, OptionKey
from engine.release.fresh_reads import FreshReads
from engine.release.interrupt import Interrupt
from engine.release.poller import SharedPoller
from tests.unit.release.fakes import (
    ManualClock,
    RecordingSink,
    environment,
    eventually,
    in_thread,
    watching,
)

MAX_AGE = 2.0
MIN_SIZE: OptionKey = ("aws:autoscaling:asg", "MinSize")


@dataclass
class CountingBeanstalk:
    """EB's reads answered from dicts, every call counted by its EB name."""

    environments: dict[str, Environment] = field(default_factory=dict)
    settings: dict[str, dict[OptionKey, str]] = field(default_factory=dict)
    event_log: list[EbEvent] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    during_describe: Callable[[], None] | None = None  # runs inside the next describe
    fail_changes: bool = False

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        self.calls["DescribeEnvironments"] += 1
        if self.during_describe is not None:
            during, self.during_describe = self.during_describe, None
            during()
        found = list(self.environments.values())
        if ids:
            found = [e for e in found if e.id in ids]
        if names:
            found = [e for e in found if e.name in names]
        if not include_deleted:
            found = [e for e in found if not e.is_terminated]
        return found

    def option_settings(
        self,
        application: str,
        environment_name: str | None = None,
        template_name: str | None = None,
    ) -> dict[OptionKey, str]:
        self.calls["DescribeConfigurationSettings"] += 1
        return dict(self.settings.get(environment_name or template_name or "", {}))

    def get_version(self, application: str, label: str) -> None:
        self.calls["DescribeApplicationVersions"] += 1

    def events(
        self, application: str, since: Any, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        self.calls["DescribeEvents"] += 1
        return [e for e in self.event_log if e.at >= since]

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self.calls["UpdateEnvironment"] += 1
        if self.fail_changes:
            raise ServiceError("the response was lost", code="RequestTimeout")
        env = self.environments[environment_id]
        self.environments[environment_id] = replace(env, status="Updating")


def reads(env: Environment | None = None) -> tuple[FreshReads, CountingBeanstalk, ManualClock]:
    inner, clock = CountingBeanstalk(), ManualClock()
    blue = env or environment("e-1", "blue")
    inner.environments[blue.id] = blue
    inner.settings["blue"] = {MIN_SIZE: "1"}
    return FreshReads(inner, clock.monotonic, MAX_AGE), inner, clock  # type: ignore[arg-type]


def by_id(fresh: FreshReads, env_id: str = "e-1") -> list[Environment]:
    return fresh.describe_environments(application="app", ids=[env_id], include_deleted=True)


def test_the_same_read_within_max_age_is_answered_again_and_asked_after_it() -> None:
    fresh, inner, clock = reads()

    by_id(fresh)
    clock.advance(MAX_AGE)
    assert by_id(fresh)[0].status == "Ready"
    assert inner.calls["DescribeEnvironments"] == 1
    assert fresh.reused == 1

    clock.advance(0.01)
    by_id(fresh)
    assert inner.calls["DescribeEnvironments"] == 2


def test_a_change_forgets_every_answer_so_a_step_reads_its_own_change() -> None:
    fresh, inner, _ = reads()
    by_id(fresh)
    fresh.option_settings("app", environment_name="blue")

    fresh.deploy_version("e-1", "v2")

    assert by_id(fresh)[0].status == "Updating"
    fresh.option_settings("app", environment_name="blue")
    assert inner.calls["DescribeEnvironments"] == 2
    assert inner.calls["DescribeConfigurationSettings"] == 2


def test_a_change_whose_response_was_lost_forgets_too() -> None:
    fresh, inner, _ = reads()
    by_id(fresh)
    inner.fail_changes = True

    with pytest.raises(ServiceError):
        fresh.deploy_version("e-1", "v2")

    by_id(fresh)
    assert inner.calls["DescribeEnvironments"] == 2


def test_an_answer_whose_call_raced_a_change_is_not_kept() -> None:
    fresh, inner, _ = reads()
    inner.during_describe = lambda: fresh.deploy_version("e-1", "v2")  # another thread's change

    by_id(fresh)
    by_id(fresh)

    assert inner.calls["DescribeEnvironments"] == 2


def test_only_the_same_question_is_answered_again() -> None:
    fresh, inner, _ = reads()
    by_id(fresh)

    # Without IncludeDeleted an id answer cannot be told from "gone"; another application's
    # answer is not this one's.
    fresh.describe_environments(application="app", ids=["e-1"])
    fresh.describe_environments(application="other", ids=["e-1"], include_deleted=True)
    assert inner.calls["DescribeEnvironments"] == 3


def test_an_answer_by_name_serves_each_name_asked_including_none_found() -> None:
    fresh, inner, _ = reads()

    fresh.describe_environments(application="app", names=["blue", "green"])
    found_green = fresh.describe_environments(application="app", names=["green"])
    found_blue = fresh.describe_environments(application="app", names=["blue"])

    assert found_green == []
    assert [e.name for e in found_blue] == ["blue"]
    assert inner.calls["DescribeEnvironments"] == 1
    fresh.describe_environments(application="app", names=["blue", "other"])
    assert inner.calls["DescribeEnvironments"] == 2


def test_the_pollers_refresh_always_asks_and_its_answer_serves_the_steps() -> None:
    fresh, inner, _ = reads()
    by_id(fresh)

    fresh.refresh_environments(["e-1"])
    assert inner.calls["DescribeEnvironments"] == 2
    assert fresh.recent_environments(["e-1"]) is not None
    assert fresh.recent_environments(["e-1", "e-2"]) is None  # e-2 never seen
    by_id(fresh)
    assert inner.calls["DescribeEnvironments"] == 2


def test_a_kept_answer_is_a_copy_and_versions_and_events_are_always_asked() -> None:
    fresh, inner, _ = reads()
    settings = fresh.option_settings("app", environment_name="blue")
    settings[MIN_SIZE] = "9"

    assert fresh.option_settings("app", environment_name="blue") == {MIN_SIZE: "1"}
    fresh.get_version("app", "v2")
    fresh.get_version("app", "v2")
    fresh.events("app", ManualClock().now())
    fresh.events("app", ManualClock().now())
    assert inner.calls["DescribeApplicationVersions"] == 2
    assert inner.calls["DescribeEvents"] == 2


# -- the poller on FreshReads -----------------------------------------------------------------


def ready(env_id: str) -> Callable[[dict[str, Environment | None]], bool]:
    def condition(snapshot: dict[str, Environment | None]) -> bool:
        env = snapshot[env_id]
        return env is not None and env.is_ready

    return condition


def poller_on(fresh: FreshReads, clock: ManualClock, events_gap: float = 30.0) -> SharedPoller:
    return SharedPoller(
        fresh, clock, Interrupt(), start_thread=False, events_every=1,  # type: ignore[arg-type]
        events_seconds=90.0, fresh=fresh, events_gap=events_gap,
    )  # fmt: skip


def test_a_wait_a_fresh_answer_already_meets_ends_without_a_poll() -> None:
    fresh, inner, clock = reads()
    by_id(fresh)  # the step just read blue
    sink = RecordingSink()

    snapshot = poller_on(fresh, clock).wait("blue", "app", ["e-1"], ready("e-1"), 60, sink)

    assert snapshot["e-1"] is not None and snapshot["e-1"].is_ready
    assert inner.calls["DescribeEnvironments"] == 1
    assert [what for what, _ in sink.polls] == ["blue"]


def test_a_fresh_answer_that_does_not_meet_the_condition_is_polled_again() -> None:
    fresh, inner, clock = reads(environment("e-1", "blue", "Updating"))
    by_id(fresh)
    poller = poller_on(fresh, clock)
    thread, box = in_thread(
        lambda: poller.wait("blue", "app", ["e-1"], ready("e-1"), 60, RecordingSink())
    )
    eventually(lambda: watching(poller) == 1)

    inner.environments["e-1"] = environment("e-1", "blue")
    poller.tick()
    thread.join(5)

    assert box["result"]["e-1"].is_ready
    assert inner.calls["DescribeEnvironments"] == 2


def launch_wait(poller: SharedPoller, sink: RecordingSink) -> tuple[Any, dict[str, Any]]:
    thread = in_thread(lambda: poller.wait("green", "app", ["e-2"], ready("e-2"), 600, sink))
    eventually(lambda: watching(poller) == 1)
    return thread


def test_a_short_wait_owes_its_events_to_the_next_fetch_and_the_drive_end_flushes_them() -> None:
    fresh, inner, clock = reads()
    inner.environments["e-2"] = environment("e-2", "green", "Launching")
    at = clock.now()
    inner.event_log = [EbEvent(at, "createEnvironment is starting.", "INFO", "green")]
    poller, sink = poller_on(fresh, clock), RecordingSink()
    thread, _ = launch_wait(poller, sink)

    clock.advance(5)  # ends 5 s after the wait began: within the 30 s gap of its start
    inner.environments["e-2"] = environment("e-2", "green")
    poller.tick()
    thread.join(5)
    assert inner.calls["DescribeEvents"] == 0

    poller.flush_events(sink)
    assert [e.message for e in sink.eb_events] == ["createEnvironment is starting."]
    poller.flush_events(sink)  # nothing owed any more: no call
    assert inner.calls["DescribeEvents"] == 1


def test_a_long_or_failed_wait_fetches_its_events_when_it_ends() -> None:
    fresh, inner, clock = reads()
    inner.environments["e-2"] = environment("e-2", "green", "Launching")
    poller = poller_on(fresh, clock)
    thread, _ = launch_wait(poller, RecordingSink())
    clock.advance(31)
    inner.environments["e-2"] = environment("e-2", "green")
    poller.tick()
    thread.join(5)
    assert inner.calls["DescribeEvents"] == 1

    def never(snapshot: dict[str, Environment | None]) -> bool:
        raise RuntimeError("green went Red")

    inner.environments["e-2"] = environment("e-2", "green", "Updating")
    failing, box = in_thread(
        lambda: poller.wait("green", "app", ["e-2"], never, 600, RecordingSink())
    )
    eventually(lambda: watching(poller) == 1)
    poller.tick()
    failing.join(5)
    assert isinstance(box["error"], RuntimeError)
    assert inner.calls["DescribeEvents"] == 2  # at once, though the last fetch was just now


def test_owed_events_come_with_the_next_fetch_of_the_application(  # one cursor per application
) -> None:
    fresh, inner, clock = reads()
    inner.environments["e-2"] = environment("e-2", "green", "Launching")
    at = clock.now()
    inner.event_log = [
        EbEvent(at, "green's", "INFO", "green"),
        EbEvent(at + timedelta(seconds=1), "blue's", "INFO", "blue"),
    ]
    poller = poller_on(fresh, clock)
    green_sink, blue_sink = RecordingSink(), RecordingSink()
    thread, _ = launch_wait(poller, green_sink)
    inner.environments["e-2"] = environment("e-2", "green")
    poller.tick()
    thread.join(5)

    inner.environments["e-1"] = environment("e-1", "blue", "Updating")
    second, _ = in_thread(lambda: poller.wait("blue", "app", ["e-1"], ready("e-1"), 600, blue_sink))
    eventually(lambda: watching(poller) == 1)
    poller.tick()
    clock.advance(100)  # the periodic fetch is due
    poller.tick()
    inner.environments["e-1"] = environment("e-1", "blue")
    poller.tick()
    second.join(5)

    assert [e.message for e in green_sink.eb_events] == ["green's"]
    assert [e.message for e in blue_sink.eb_events] == ["blue's"]
    # green's wait was paid by the periodic fetch; blue's ended just after it, so it is owed
    assert [w.what for w in poller._owed["app"]] == ["blue"]


def test_a_hook_command_makes_every_kept_answer_forgotten() -> None:
    from engine.domain.ports.hooks import HookResult
    from engine.release.fresh_reads import ForgettingHookRunner

    fresh, inner, _ = reads()
    by_id(fresh)

    class Hook:
        def run(
            self, argv: Any, environment: Any, timeout_seconds: float, should_stop: Any = None
        ) -> HookResult:
            inner.environments["e-1"] = environment_of_hook  # e.g. `eb setenv` in the hook
            return HookResult(exit_code=0, duration_seconds=0.1)

    environment_of_hook = environment("e-1", "blue", "Updating")
    ForgettingHookRunner(Hook(), fresh).run(["./hook"], {}, 10)  # type: ignore[arg-type]

    assert by_id(fresh)[0].status == "Updating"
    assert inner.calls["DescribeEnvironments"] == 2
