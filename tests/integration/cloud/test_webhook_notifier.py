"""WebhookNotifier against a real receiver on loopback: delivery, retries, bounds, secrecy."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from cloud.notify import WebhookNotifier
from engine.domain.model import State
from engine.domain.ports.cloud import Delivery
from engine.operator.notifications import summary_for
from engine.release.observer import Outcome
from tests.integration.cloud.receiver import Receiver, refused_url, running_receiver
from tests.unit.operator.runs import finished_run

FAST = {"backoff": 0.01, "max_backoff": 0.05}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def test_the_receiver_gets_exactly_one_summary_per_notify(receiver: Receiver) -> None:
    notifier = WebhookNotifier(receiver.url, **FAST)
    first = summary_for(Outcome(finished_run(State.SUCCEEDED), 0, "released v2"))
    second = summary_for(Outcome(finished_run(State.ROLLED_BACK, error=None), 1, "undone"))

    notifier.notify(first)
    notifier.notify(second)

    assert notifier.close(timeout=10)
    assert receiver.accepted == [first, second]
    assert len(receiver.requests) == 2


def test_a_summary_arrives_as_json_with_every_field(receiver: Receiver) -> None:
    notifier = WebhookNotifier(receiver.url)
    notifier.notify(summary_for(Outcome(finished_run(State.AWAITING_CUTOVER), 0, "waiting")))
    assert notifier.close(timeout=10)

    (path, headers, body) = receiver.requests[0]
    payload = json.loads(body)
    assert path == "/hook"
    assert headers["Content-Type"] == "application/json"
    assert payload["outcome"] == "awaiting_cutover"
    target = {key: payload[key] for key in ("region", "app", "blue")}
    assert target == {"region": "eu-west-1", "app": "shop", "blue": "shop-blue"}
    names = ("run_id", "green", "version_label", "previous_version_label", "exit_code", "error")
    for name in names:
        assert name in payload
    assert payload["text"].startswith("bluegreen: release of v2 to shop/shop-blue")


@pytest.mark.parametrize("failure", [500, 503, 429])
def test_a_receiver_that_fails_once_gets_the_summary_on_the_retry(
    receiver: Receiver, failure: int
) -> None:
    receiver.answers = [failure]
    notifier = WebhookNotifier(receiver.url, **FAST)

    notifier.notify({"outcome": "succeeded"})

    assert notifier.close(timeout=10)
    assert len(receiver.requests) == 2
    assert receiver.accepted == [{"outcome": "succeeded"}]


def test_a_client_error_is_not_retried(receiver: Receiver) -> None:
    receiver.answers = [404]
    notifier = WebhookNotifier(receiver.url, **FAST)

    notifier.notify({"outcome": "failed"})

    assert notifier.close(timeout=10)
    assert len(receiver.requests) == 1


def test_a_receiver_that_keeps_failing_is_given_up_after_the_attempts(receiver: Receiver) -> None:
    receiver.answers = [500] * 10
    notifier = WebhookNotifier(receiver.url, attempts=3, **FAST)

    notifier.notify({"outcome": "failed"})

    assert notifier.close(timeout=10)
    assert len(receiver.requests) == 3
    assert receiver.accepted == []


def test_a_receiver_that_is_down_never_makes_notify_raise(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    notifier = WebhookNotifier(refused_url(), attempts=2, **FAST)

    notifier.notify({"outcome": "succeeded"})

    assert notifier.close(timeout=10)
    assert "attempt 2: cannot connect" in caplog.text
    assert "given up after 2 attempts" in caplog.text


def test_a_hanging_receiver_does_not_hold_the_caller_past_the_flush_bound(
    receiver: Receiver,
) -> None:
    receiver.hang = True
    notifier = WebhookNotifier(receiver.url, timeout=60, **FAST)

    notifier.notify({"outcome": "succeeded"})
    assert receiver.wait_for_requests(1)

    # The receiver answers only once released below, so these returned without waiting for it.
    assert notifier.flush(timeout=0.2) is False
    assert notifier.close(timeout=0.2) is False
    receiver.released.set()


def test_a_receiver_that_times_out_is_not_sent_the_summary_twice(receiver: Receiver) -> None:
    receiver.hang = True
    notifier = WebhookNotifier(receiver.url, timeout=0.2, **FAST)

    notifier.notify({"outcome": "succeeded"})

    assert notifier.flush(timeout=10)
    assert len(receiver.requests) == 1
    notifier.close(timeout=1)


def test_notify_after_close_is_dropped_quietly(receiver: Receiver) -> None:
    notifier = WebhookNotifier(receiver.url)
    notifier.close(timeout=1)

    notifier.notify({"outcome": "succeeded"})

    assert notifier.flush(timeout=1)
    assert receiver.requests == []


def test_the_urls_secrets_never_appear_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret_path = "/services/T0001/B0002/XSECRETPATHX"
    with running_receiver(path=secret_path + "?token=QTOKENQ", userinfo="bot:PASSWORDP@") as rcv:
        rcv.answers = [500, 429]
        notifier = WebhookNotifier(rcv.url, **FAST)
        notifier.notify({"outcome": "succeeded"})
        assert notifier.close(timeout=10)
        assert rcv.requests[-1][0] == secret_path + "?token=QTOKENQ"
    down = WebhookNotifier(refused_url().replace("/hook", secret_path), attempts=2, **FAST)
    down.notify({"outcome": "failed"})
    assert down.close(timeout=10)

    logged = caplog.text + "".join(record.getMessage() for record in caplog.records)
    assert "HTTP 500" in logged
    assert "HTTP Request: POST http://127.0.0.1:" in logged  # httpx's own line, scrubbed
    for secret in ("XSECRETPATHX", "QTOKENQ", "PASSWORDP", "T0001"):
        assert secret not in logged


def test_on_done_hears_how_each_delivery_ended(receiver: Receiver) -> None:
    receiver.answers = [500, 200, 500, 500, 404]
    notifier = WebhookNotifier(receiver.url, attempts=2, **FAST)
    heard: list[Delivery] = []

    notifier.notify({"n": 1}, heard.append)  # 500, then 200
    notifier.notify({"n": 2}, heard.append)  # 500, 500: given up
    notifier.notify({"n": 3}, heard.append)  # 404: not retried
    assert notifier.close(timeout=10)

    where = receiver.url.removesuffix("/hook") + "/…"
    assert heard == [
        Delivery(True, 2, where, status=200),
        Delivery(False, 2, where, status=500),
        Delivery(False, 1, where, status=404),
    ]
    assert [d.outcome for d in heard] == [
        "delivered (HTTP 200, 2 attempts)",
        "given up after 2 attempts (HTTP 500)",
        "given up after 1 attempt (HTTP 404)",
    ]


def test_on_done_names_the_error_when_nothing_answered(receiver: Receiver) -> None:
    receiver.hang = True
    heard: list[Delivery] = []
    slow = WebhookNotifier(receiver.url, timeout=0.2, **FAST)
    down = WebhookNotifier(refused_url(), attempts=2, **FAST)

    slow.notify({"n": 1}, heard.append)
    assert slow.flush(timeout=10)
    down.notify({"n": 2}, heard.append)
    assert down.close(timeout=10)
    slow.close(timeout=1)

    assert [(d.delivered, d.attempts, d.status, d.error) for d in heard] == [
        (False, 1, None, "ReadTimeout"),
        (False, 2, None, "ConnectError"),
    ]


def test_an_on_done_that_raises_does_not_stop_the_notifier(receiver: Receiver) -> None:
    notifier = WebhookNotifier(receiver.url, **FAST)

    def broken(delivery: Delivery) -> None:
        raise RuntimeError("the history is down")

    notifier.notify({"n": 1}, broken)
    notifier.notify({"n": 2})
    assert notifier.close(timeout=10)
    assert receiver.accepted == [{"n": 1}, {"n": 2}]


def test_a_delivery_still_in_flight_when_close_gives_up_is_told_so_once(
    receiver: Receiver,
) -> None:
    receiver.hang = True
    heard: list[Delivery] = []
    notifier = WebhookNotifier(receiver.url, timeout=60, **FAST)

    notifier.notify({"n": 1}, heard.append)  # held by the receiver
    assert receiver.wait_for_requests(1)
    notifier.notify({"n": 2}, heard.append)  # queued behind it
    assert notifier.close(timeout=0.2) is False

    # Told by close itself: the process may exit before the notifier's thread could say it.
    assert [(d.delivered, d.attempts, d.error) for d in heard] == [
        (False, 1, "still in flight at exit"),
        (False, 0, "still queued at exit"),
    ]
    assert heard[0].outcome == "given up after 1 attempt (still in flight at exit)"
    receiver.released.set()  # the held request now ends: nothing is told a second time
    notifier._worker.join(5)
    assert len(heard) == 2
