"""The notifying observer: the events asked for, one notification each, each delivery recorded;
it never raises."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventRecord, EventSource, State
from engine.domain.notification_events import (
    DEFAULT_EVENTS,
    EVENTS,
    events_problem,
    parse_events,
)
from engine.domain.ports.cloud import Delivery
from engine.operator.notifications import NotifyingObserver
from engine.release.observer import Outcome
from tests.unit.operator.runs import finished_run

OnDone = Callable[[Delivery], None] | None


class RecordingNotifier:
    def __init__(self) -> None:
        self.summaries: list[Mapping[str, object]] = []
        self.callbacks: list[OnDone] = []

    def notify(self, summary: Mapping[str, object], on_done: OnDone = None) -> None:
        self.summaries.append(summary)
        self.callbacks.append(on_done)


class BrokenNotifier:
    def notify(self, summary: Mapping[str, object], on_done: OnDone = None) -> None:
        raise RuntimeError("boom")


def test_by_default_each_finished_drive_posts_exactly_one_summary_and_no_start() -> None:
    notifier = RecordingNotifier()
    observer = NotifyingObserver(notifier)
    run = finished_run(State.PREFLIGHT)

    observer.run_started(run)
    run.state = State.SUCCEEDED
    observer.finished(Outcome(run, 0, "released"))

    assert [(s["event"], s["outcome"]) for s in notifier.summaries] == [("succeeded", "succeeded")]


def test_started_is_sent_for_a_drive_that_begins_a_run_not_for_a_cutover() -> None:
    notifier = RecordingNotifier()
    observer = NotifyingObserver(notifier, events=EVENTS)

    observer.run_started(finished_run(State.PREFLIGHT))  # full / deploy
    observer.run_started(finished_run(State.QUEUED))  # a worker takes a submitted run
    observer.run_started(finished_run(State.AWAITING_CUTOVER))  # cutover: not a start

    assert [s["event"] for s in notifier.summaries] == ["started", "started"]
    assert notifier.summaries[0]["text"] == (
        "bluegreen: release of v2 to shop/shop-blue (eu-west-1) started; run run-7f3a"
    )


@pytest.mark.parametrize(
    ("state", "code", "event"),
    [
        (State.SUCCEEDED, ExitCode.OK, "succeeded"),
        (State.AWAITING_CUTOVER, ExitCode.OK, "waiting_for_cutover"),
        (State.ROLLED_BACK, ExitCode.ROLLED_BACK, "rolled_back"),
        (State.ROLLED_BACK, ExitCode.OK, "rolled_back_by_operator"),
        (State.REFUSED, ExitCode.USAGE, "refused"),
        (State.FAILED, ExitCode.NEEDS_OPERATOR, "failed"),
        (State.VERIFYING, ExitCode.INTERRUPTED, "interrupted"),
    ],
)
def test_each_verdict_is_its_event_and_only_the_chosen_ones_are_sent(
    state: State, code: ExitCode, event: str
) -> None:
    chosen, others = RecordingNotifier(), RecordingNotifier()
    outcome = Outcome(finished_run(state), code, "")

    NotifyingObserver(chosen, events={event}).finished(outcome)
    NotifyingObserver(others, events=set(EVENTS) - {event}).finished(outcome)

    assert [s["event"] for s in chosen.summaries] == [event]
    assert others.summaries == []


def test_the_default_events_are_every_end_of_a_drive() -> None:
    assert set(DEFAULT_EVENTS) == set(EVENTS) - {"started"}
    assert "waiting_for_cutover" in DEFAULT_EVENTS and "interrupted" in DEFAULT_EVENTS


def test_event_lists_are_checked_by_name() -> None:
    assert events_problem("started, succeeded,FAILED") is None
    assert parse_events("started, succeeded,FAILED") == {"started", "succeeded", "failed"}
    assert parse_events("all") == set(EVENTS)
    problem = events_problem("succeeded,sucess")
    assert problem is not None and problem.startswith("unknown event 'sucess': choose from")
    assert events_problem(" , ") is not None


def test_each_delivery_is_recorded_as_a_notify_event_of_the_run() -> None:
    notifier, recorded = RecordingNotifier(), list[EventRecord]()
    observer = NotifyingObserver(notifier, fmt="slack", record=recorded.append)
    observer.finished(Outcome(finished_run(State.SUCCEEDED), 0, "released"))
    observer.finished(Outcome(finished_run(State.FAILED), 4, "stuck"))

    done, failed = notifier.callbacks
    assert done is not None and failed is not None
    done(Delivery(True, 1, "https://hooks.slack.com/…", status=200))
    failed(Delivery(False, 4, "https://hooks.slack.com/…", status=500))

    assert [(r.run_id, r.source) for r in recorded] == [("run-7f3a", EventSource.NOTIFY)] * 2
    assert recorded[0].message == (
        "notification succeeded (slack, https://hooks.slack.com/…) → delivered (HTTP 200, "
        "1 attempt)"
    )
    assert recorded[1].message.endswith("→ given up after 4 attempts (HTTP 500)")
    assert recorded[1].data == {
        "notification": "failed", "format": "slack", "where": "https://hooks.slack.com/…",
        "delivered": False, "ok": False, "attempts": 4, "status": 500, "error": None,
    }  # fmt: skip


def test_an_error_class_says_why_when_nothing_answered() -> None:
    timed_out = Delivery(False, 1, "http://127.0.0.1:9/…", error="ReadTimeout")
    assert timed_out.outcome == "given up after 1 attempt (ReadTimeout)"


def test_a_notifier_that_raises_does_not_reach_the_runner() -> None:
    NotifyingObserver(BrokenNotifier()).finished(Outcome(finished_run(State.FAILED), 4, ""))
