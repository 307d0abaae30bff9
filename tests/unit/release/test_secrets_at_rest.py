"""The health URL's secrets never reach the run store; a run read back gets its real URL
only from the operator, and a masked URL is never probed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from engine.domain.health_urls import (
    SecretNotStored,
    check_not_masked,
    has_secrets,
    secrets_of,
    without_secrets,
)
from engine.domain.model import (
    EventRecord,
    EventSource,
    HealthCheck,
    RunId,
    State,
    TransitionRecord,
)
from engine.release.secrets_at_rest import HealthSecrets, SecretFreeStore
from tests.fakes import make_run
from tests.fakes.store import InMemoryRunStore

URL = "https://ops:pw-5678@shop.example/health?token=tok-1234&X-Amz-Signature=sig%2F99&page=2"
AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_user_info_and_secret_looking_parameters_are_masked_and_the_rest_kept() -> None:
    assert without_secrets(URL) == (
        "https://REDACTED@shop.example/health?token=REDACTED&X-Amz-Signature=REDACTED&page=2"
    )
    assert {"pw-5678", "tok-1234", "sig%2F99", "sig/99"} <= set(secrets_of(URL))
    assert not has_secrets("https://shop.example/health?page=2")
    assert not has_secrets("/health")


def test_a_masked_url_is_never_probed() -> None:
    with pytest.raises(SecretNotStored, match="--health-path"):
        check_not_masked(without_secrets(URL))
    check_not_masked(URL)


def stored_with(secrets: HealthSecrets) -> tuple[InMemoryRunStore, SecretFreeStore]:
    inner = InMemoryRunStore()
    return inner, SecretFreeStore(inner, secrets)


def test_inputs_errors_transitions_and_events_are_stored_without_the_secrets() -> None:
    inner, store = stored_with(HealthSecrets.of(URL))
    run = make_run(health=HealthCheck(path=URL))
    store.create(run, "me", 60)
    run.error = run.rollback_reason = f"verifying failed: last: 500 from {URL}"
    event = EventRecord(run.id, AT, EventSource.PROBE, f"probe {URL}: 500", {"url": URL})
    move = TransitionRecord(run.id, State.VERIFYING, State.ROLLING_BACK, "fail", AT, run.error)

    store.save(run, "me", move, [event])
    store.add_events([event])

    kept = inner.get(run.id)
    everything = repr((kept, inner.transitions(run.id), inner.events(run.id)))
    for secret in ("pw-5678", "tok-1234", "sig%2F99"):
        assert secret not in everything
    assert kept.health.path == without_secrets(URL)
    assert run.health.path == URL, "the run being driven keeps the real URL for the probe"


def test_a_run_read_back_gets_the_url_given_again_when_it_has_the_same_shape() -> None:
    inner, store = stored_with(HealthSecrets.of(URL))
    store.create(make_run(health=HealthCheck(path=URL)), "me", 60)
    rotated = URL.replace("tok-1234", "tok-0000")
    given_rotated = SecretFreeStore(inner, HealthSecrets.of(rotated))
    elsewhere = SecretFreeStore(inner, HealthSecrets.of(URL.replace("/health", "/up")))
    not_given = SecretFreeStore(inner, HealthSecrets.of("/"))

    assert store.get(RunId("r-0001")).health.path == URL
    assert store.acquire(RunId("r-0001"), "me", 60).health.path == URL
    assert given_rotated.get(RunId("r-0001")).health.path == rotated
    assert elsewhere.get(RunId("r-0001")).health.path == without_secrets(URL)
    assert not_given.get(RunId("r-0001")).health.path == without_secrets(URL)


def test_a_plain_path_is_stored_as_it_is() -> None:
    inner, store = stored_with(HealthSecrets.of("/health"))
    run = replace(make_run(), health=HealthCheck(path="/health"))
    store.create(run, "me", 60)
    assert inner.get(run.id).health.path == "/health"


def test_webhook_data_is_masked_keys_and_values() -> None:
    secrets = HealthSecrets.of(URL)
    masked = secrets.data({"error": f"from {URL}", "nested": [URL], URL: 1})
    assert "tok-1234" not in repr(masked)
