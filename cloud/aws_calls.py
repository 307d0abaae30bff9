"""Watches boto3 clients through botocore's event hooks: counts API calls per operation and
reports every error botocore saw, retried or not, so the engine can keep it for post-mortems.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from botocore.client import BaseClient
from botocore.model import OperationModel

RetryReporter = Callable[[str], None]

log = logging.getLogger(__name__)


class CallRecorder:
    """Attach to clients; `api_calls` counts calls made (not retries), per operation name."""

    def __init__(self, on_retry: RetryReporter | None = None) -> None:
        self.api_calls: Counter[str] = Counter()
        self.on_retry = on_retry
        self._lock = threading.Lock()

    def attach(self, client: BaseClient) -> None:
        """Hook into `client`: every call and every attempt that came back with an error."""
        retries: dict[str, Any] = getattr(client.meta.config, "retries", None) or {}
        max_attempts = retries.get("total_max_attempts")
        events = client.meta.events
        events.register("before-call", self._count_call, unique_id=f"bluegreen-count-{id(self)}")
        events.register(
            "needs-retry",
            lambda **kwargs: self._report_error(max_attempts, **kwargs),
            unique_id=f"bluegreen-errors-{id(self)}",
        )

    def snapshot(self) -> Counter[str]:
        """A copy of the call counts, consistent at one instant."""
        with self._lock:
            return Counter(self.api_calls)

    def _count_call(self, model: OperationModel, **_: Any) -> None:
        with self._lock:
            self.api_calls[model.name] += 1

    def _report_error(
        self,
        max_attempts: int | None,
        operation: OperationModel,
        attempts: int,
        response: tuple[Any, dict[str, Any]] | None = None,
        caught_exception: Exception | None = None,
        **_: Any,
    ) -> None:
        # botocore emits needs-retry after every attempt; a None answer leaves the decision to
        # its own retry handler.
        error = attempt_error(response, caught_exception)
        reporter = self.on_retry
        if error is None or reporter is None:
            return
        of_max = f" of {max_attempts}" if max_attempts else ""
        message = f"AWS {operation.name} attempt {attempts}{of_max} failed: {error}"
        try:
            reporter(message)
        except Exception:
            # Recording a retry must never fail the AWS call it describes.
            log.exception("could not record an AWS retry: %s", message)


def attempt_error(
    response: tuple[Any, dict[str, Any]] | None, caught_exception: Exception | None
) -> str | None:
    """`Code: message` of a failed attempt, or None when it succeeded."""
    if caught_exception is not None:
        return f"{type(caught_exception).__name__}: {caught_exception}"
    if response is None:
        return None
    http_response, parsed = response
    error = parsed.get("Error") or {}
    if http_response.status_code < 300 and not error.get("Code"):
        return None
    code = error.get("Code") or f"HTTP {http_response.status_code}"
    return f"{code}: {error.get('Message') or ''}".rstrip(": ")
