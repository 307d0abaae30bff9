"""Webhook rules that need no network: URL redaction, validation, retry delays."""

from __future__ import annotations

import pytest

from cloud.notify import RetryPolicy, redact_url, validated_webhook_url
from engine.domain.errors import ConfigurationError


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com/…"),
        ("https://bot:pa55word@chat.example.com:8443/hook", "https://chat.example.com:8443/…"),
        ("http://127.0.0.1:9000/?token=abc123", "http://127.0.0.1:9000/…"),
        ("https://example.com", "https://example.com"),
    ],
)
def test_a_redacted_url_keeps_only_scheme_host_and_port(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    "url",
    ["ftp://files.example.com/SECRETPATH", "hooks.slack.com/SECRETPATH", "https:///SECRETPATH"],
)
def test_a_url_that_is_not_http_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        validated_webhook_url(url)

    assert "SECRETPATH" not in str(refused.value)


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    policy = RetryPolicy(attempts=6, backoff_seconds=0.5, max_backoff_seconds=3.0)

    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_a_retry_after_header_lengthens_the_wait_but_not_past_the_cap() -> None:
    policy = RetryPolicy(backoff_seconds=0.5, max_backoff_seconds=8.0)

    assert policy.delay(1, retry_after=2.0) == 2.0
    assert policy.delay(1, retry_after=60.0) == 8.0
