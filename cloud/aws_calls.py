"""Watches boto3 clients through botocore's event hooks: counts API calls per operation and
reports every transient failure botocore saw (throttling, 5xx, connection errors: what its
retry modes retry), so the engine can keep it for post-mortems. Client errors such as
InvalidParameterValue are not reported here: they reach the caller as exceptions, and many
are expected answers (a lookup of a template that does not exist yet).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

import boto3
from botocore.client import BaseClient
from botocore.model import OperationModel

from cloud.translate import SERVICE_CODES, THROTTLING_CODES

RetryReporter = Callable[[str], None]
# Where a call's listener token rides from botocore's before-call to its after-call event: the
# request context, one dict per API call (botocore.client.BaseClient._make_api_call).
TOKEN_KEY = "bluegreen_call_token"  # noqa: S105 (a dict key, not a secret)


class CallListener(Protocol):
    """Told of every API call a client makes: once before it is sent (all its retries are one
    call), once when it ended; `error` is `Code` or the exception's class, None on success."""

    def call_started(self, service: str, operation: str) -> object: ...

    def call_ended(self, token: object, status: int | None, error: str | None) -> None: ...


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


def listen_to_calls(session: boto3.Session, listener: CallListener) -> None:
    """Every client created from `session` from now on tells `listener` of each API call.

    botocore copies the session's event emitter into each client it creates, so this must run
    before the clients are made. A listener that raises is logged, never fails the call."""
    events = session.events
    unique = f"bluegreen-listen-{id(listener)}"

    def started(model: OperationModel, context: dict[str, Any], **_: Any) -> None:
        try:
            service = model.service_model.service_id
            context[TOKEN_KEY] = listener.call_started(str(service), model.name)
        except Exception:
            log.exception("a call listener failed on %s", model.name)

    def ended(context: dict[str, Any], status: int | None, error: str | None) -> None:
        token = context.pop(TOKEN_KEY, None)
        if token is None:
            return
        try:
            listener.call_ended(token, status, error)
        except Exception:
            log.exception("a call listener failed at a call's end")

    def answered(http_response: Any, parsed: dict[str, Any], context: dict[str, Any],
                 **_: Any) -> None:  # fmt: skip
        status = getattr(http_response, "status_code", None)
        code = (parsed.get("Error") or {}).get("Code") if status is None or status >= 300 else None
        ended(context, status, code or (f"HTTP {status}" if status and status >= 300 else None))

    def raised(exception: Exception, context: dict[str, Any], **_: Any) -> None:
        ended(context, None, type(exception).__name__)

    events.register("before-call", started, unique_id=f"{unique}-before")
    events.register("after-call", answered, unique_id=f"{unique}-after")
    events.register("after-call-error", raised, unique_id=f"{unique}-error")


def attempt_error(
    response: tuple[Any, dict[str, Any]] | None, caught_exception: Exception | None
) -> str | None:
    """`Code: message` of an attempt that failed transiently, else None."""
    if caught_exception is not None:
        return f"{type(caught_exception).__name__}: {caught_exception}"
    if response is None:
        return None
    http_response, parsed = response
    error = parsed.get("Error") or {}
    status = http_response.status_code
    code = error.get("Code") or f"HTTP {status}"
    if not is_transient(status, code):
        return None
    return f"{code}: {error.get('Message') or ''}".rstrip(": ")


def is_transient(status: int, code: str) -> bool:
    """What botocore's retry modes retry: throttling, 429, 5xx (not other client errors)."""
    return status == 429 or status >= 500 or code in THROTTLING_CODES | SERVICE_CODES
