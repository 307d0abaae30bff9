"""The notifying observer: one summary per finished drive, and it never raises."""

from __future__ import annotations

from collections.abc import Mapping

from engine.domain.model import State
from engine.operator.notifications import NotifyingObserver
from engine.release.observer import Outcome
from tests.unit.operator.runs import finished_run


class RecordingNotifier:
    def __init__(self) -> None:
        self.summaries: list[Mapping[str, object]] = []

    def notify(self, summary: Mapping[str, object]) -> None:
        self.summaries.append(summary)


class BrokenNotifier:
    def notify(self, summary: Mapping[str, object]) -> None:
        raise RuntimeError("boom")


def test_each_finished_drive_posts_exactly_one_summary() -> None:
    notifier = RecordingNotifier()
    observer = NotifyingObserver(notifier)
    run = finished_run(State.SUCCEEDED)

    observer.run_started(run)
    observer.finished(Outcome(run, 0, "released"))

    assert [s["outcome"] for s in notifier.summaries] == ["succeeded"]


def test_a_notifier_that_raises_does_not_reach_the_runner() -> None:
    NotifyingObserver(BrokenNotifier()).finished(Outcome(finished_run(State.FAILED), 4, ""))
