"""Notifications never hold a release: the real engine against the simulator, a webhook on
127.0.0.1 that answers 500 for ever while holding each answer, or that answers after the
notifier's timeout. Each delivery ends up in the run's history as an event of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloud.notify import WebhookNotifier
from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventRecord, EventSource, Mode
from engine.domain.notification_events import EVENTS
from engine.operator.inputs import release_request
from engine.operator.notifications import NotifyingObserver
from engine.release.observer import Outcome
from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.integration.cloud.receiver import Receiver, running_receiver
from tests.integration.release.conftest import Wired, WiredFactory
from tests.integration.release.test_release import FULL_PATH

FAST = {"backoff": 0.01, "max_backoff": 0.05}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver(path="/services/T0001/B0002/XSECRETX") as running:
        yield running


def release_notifying(engine: Wired, notifier: WebhookNotifier, version: str) -> Outcome:
    observer = NotifyingObserver(
        notifier, events=EVENTS, fmt="slack",
        record=lambda event: engine.store.add_events([event]),
    )  # fmt: skip
    settings = engine.settings.model_copy(update={"version_label": version})
    return engine.runner.release(release_request(settings, Mode.FULL), observer)


def deliveries(engine: Wired, outcome: Outcome) -> list[EventRecord]:
    events = engine.store.events(outcome.run.id)
    return [event for event in events if event.source is EventSource.NOTIFY]


@pytest.mark.slow
def test_a_webhook_answering_500_while_holding_its_answers_does_not_hold_the_release(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, receiver: Receiver
) -> None:
    receiver.answers, receiver.hang = [500] * 100, True
    engine = wired()
    notifier = WebhookNotifier(receiver.url, timeout=60, **FAST)

    outcome = release_notifying(engine, notifier, "v2")

    # The release ran to its end while the webhook still sat on its first request (`started`,
    # sent as the drive began): the drive never waited for the notifier.
    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert engine.path(outcome) == FULL_PATH
    assert not receiver.released.is_set() and len(receiver.requests) == 1
    assert deliveries(engine, outcome) == []

    receiver.released.set()
    assert notifier.close(timeout=20)
    records = deliveries(engine, outcome)
    assert [(r.data["notification"], r.data["delivered"]) for r in records] == [
        ("started", False), ("succeeded", False)
    ]  # fmt: skip
    assert [r.message.split(" → ")[1] for r in records] == [
        "given up after 4 attempts (HTTP 500)"
    ] * 2
    assert len(receiver.requests) == 8
    assert all("XSECRETX" not in r.message + str(r.data) for r in records)
    assert records[0].data["where"] == receiver.url.split("/services")[0] + "/…"


@pytest.mark.slow
def test_a_webhook_slower_than_the_timeout_changes_nothing_and_is_given_up(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, receiver: Receiver
) -> None:
    receiver.hang = True  # answers only when the test ends: every request times out
    engine = wired()
    notifier = WebhookNotifier(receiver.url, timeout=0.3, **FAST)

    outcome = release_notifying(engine, notifier, "v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert engine.path(outcome) == FULL_PATH
    assert notifier.close(timeout=20)
    records = deliveries(engine, outcome)
    assert [r.data["notification"] for r in records] == ["started", "succeeded"]
    assert {r.message.split(" → ")[1] for r in records} == {
        "given up after 1 attempt (ReadTimeout)"
    }
    assert len(receiver.requests) == 2  # a request that may have arrived is not sent twice


@pytest.mark.slow
def test_a_good_webhook_hears_started_then_succeeded_and_the_history_says_delivered(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, receiver: Receiver
) -> None:
    engine = wired()
    notifier = WebhookNotifier(receiver.url, **FAST)

    outcome = release_notifying(engine, notifier, "v2")

    assert notifier.close(timeout=20)
    headers = [m["blocks"][0]["text"]["text"] for m in receiver.accepted]  # type: ignore[index]
    assert [h.split(": v2 ")[1] for h in headers] == ["started", "succeeded"]
    assert [r.message.split(" → ")[1] for r in deliveries(engine, outcome)] == [
        "delivered (HTTP 200, 1 attempt)"
    ] * 2
