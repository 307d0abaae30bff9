"""Run notifications posted to a webhook as JSON with httpx, off the release's thread.

`WebhookNotifier` implements `engine.domain.ports.cloud.Notifier`: `notify` only queues; a
daemon thread posts with retries and tells the caller's `on_done` how each delivery ended (a
`Delivery`); `flush`/`close` give the CLI a bounded wait at exit. The URL's secrets (path,
user:password, query) never reach a log line, an error or a `Delivery`: only
`scheme://host/…` does. What the JSON says (a summary, a Slack or Teams message) is the
caller's: `engine.operator.notification_formats`.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import logging
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from cloud.user_agent import USER_AGENT
from engine.domain.errors import ConfigurationError
from engine.domain.ports.cloud import Delivery

log = logging.getLogger(__name__)

_STOP = None  # queued to wake the worker when closing
# The error a delivery is recorded with when the process exits before it ended.
IN_FLIGHT_AT_EXIT = "still in flight at exit"
QUEUED_AT_EXIT = "still queued at exit"  # ... or before a request for it was sent


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a summary is re-sent after a retryable failure."""

    attempts: int = 4
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        exponential = self.backoff_seconds * 2.0 ** (attempt - 1)
        wanted = exponential if retry_after is None else max(exponential, retry_after)
        return min(wanted, self.max_backoff_seconds)


class _Verdict(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    GIVE_UP = "give_up"


OnDone = Callable[[Delivery], None]


@dataclass(eq=False)
class _Attempts:
    """One notification's tries so far: how many, and the last answer or error."""

    on_done: OnDone | None = None
    settled: bool = False  # its outcome told (by the worker, or by `close` giving it up)
    count: int = 0
    status: int | None = None
    error: str | None = None


def redact_url(url: str) -> str:
    """`scheme://host[:port]` plus `/…` when there was a path or query: safe to log."""
    try:
        parsed = httpx.URL(url)
    except Exception:  # whatever it is, it must not be echoed
        return "<invalid URL>"
    port = f":{parsed.port}" if parsed.port is not None else ""
    has_secret_part = parsed.path not in ("", "/") or bool(parsed.query)
    return f"{parsed.scheme}://{parsed.host}{port}{'/…' if has_secret_part else ''}"


def validated_webhook_url(url: str) -> httpx.URL:
    """The URL as httpx parses it; ConfigurationError (without the URL's text) if unusable."""
    try:
        parsed = httpx.URL(url.strip())
    except Exception as error:  # httpx's message would echo the URL
        raise ConfigurationError("the notify URL is not a valid URL") from error
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"the notify URL must be http(s)://host/...; got {redact_url(url)}"
        )
    return parsed


class WebhookNotifier:
    """Posts each payload as JSON to one URL; never raises, never blocks the caller."""

    def __init__(
        self,
        url: str,
        timeout: float = 5.0,
        attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = validated_webhook_url(url)
        self.where = redact_url(url)
        self._retry = RetryPolicy(attempts, backoff, max_backoff)
        self._client = httpx.Client(
            timeout=timeout,
            verify=True,
            follow_redirects=False,
            trust_env=not _is_loopback(self._url.host),
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json"},
        )
        _HTTPX_LOG_SCRUBBER.hide(self._url, self.where)
        self._queue: queue.Queue[tuple[bytes, _Attempts] | None] = queue.Queue()
        self._unsettled: list[_Attempts] = []
        self._idle = threading.Condition()
        self._pending = 0
        self._closed = False
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._work, name="bluegreen-notify", daemon=True)
        self._worker.start()

    def notify(self, payload: Mapping[str, object], on_done: OnDone | None = None) -> None:
        """Queue one payload for delivery and return at once; `on_done` is called on the
        notifier's thread with how the delivery ended (not when it was never queued)."""
        try:
            body = json.dumps(dict(payload), default=str, sort_keys=True).encode()
        except Exception as error:  # a notifier never raises
            log.warning("notification not sent: summary is not JSON (%s)", type(error).__name__)
            return
        with self._idle:
            if self._closed:
                log.warning("notification to %s not sent: notifier closed", self.where)
                return
            self._pending += 1
            tries = _Attempts(on_done)
            self._unsettled.append(tries)
        self._queue.put((body, tries))

    def flush(self, timeout: float) -> bool:
        """Wait at most `timeout` s for queued summaries; True if none is left in flight."""
        with self._idle:
            done = self._idle.wait_for(lambda: self._pending == 0, timeout=max(timeout, 0.0))
        if not done:
            log.warning("notification to %s still in flight after %.1fs", self.where, timeout)
        return done

    def close(self, timeout: float = 10.0) -> bool:
        """Flush with a bounded wait, then stop: unsent summaries are given up, and each one
        still queued or in flight is told so here (the process may exit before the worker
        could say it)."""
        with self._idle:
            self._closed = True
        done = self.flush(timeout)
        self._stop.set()
        self._queue.put(_STOP)
        with self._idle:
            given_up = [(tries, self._given_up_at_exit(tries)) for tries in self._unsettled
                        if not tries.settled]  # fmt: skip
            for tries, _ in given_up:
                tries.settled = True
            self._unsettled.clear()
        for tries, delivery in given_up:
            self._tell(tries, delivery)
        return done

    def _given_up_at_exit(self, tries: _Attempts) -> Delivery:
        error = IN_FLIGHT_AT_EXIT if tries.count else QUEUED_AT_EXIT
        return Delivery(False, tries.count, self.where, None, error)

    def _work(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            body, tries = item
            try:
                delivery = self._deliver(body, tries)
            except Exception as error:  # the worker must outlive any surprise
                log.warning("notification to %s failed unexpectedly", self.where)
                delivery = Delivery(False, 0, self.where, error=type(error).__name__)
            with self._idle:
                told, tries.settled = tries.settled, True
                if tries in self._unsettled:
                    self._unsettled.remove(tries)
            if not told:
                self._tell(tries, delivery)
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()
        self._client.close()

    def _tell(self, tries: _Attempts, delivery: Delivery) -> None:
        """Its `on_done` hears how the notification ended (a failure to record is logged)."""
        if tries.on_done is None:
            return
        try:
            tries.on_done(delivery)
        except Exception as error:  # e.g. the history is down: the log says it
            log.warning("delivery of a notification not recorded (%s)", error)

    def _deliver(self, body: bytes, tries: _Attempts) -> Delivery:
        for attempt in range(1, self._retry.attempts + 1):
            tries.count = attempt
            verdict, retry_after = self._post_once(body, tries)
            if verdict is not _Verdict.RETRY:
                return self._delivery(verdict is _Verdict.DELIVERED, tries)
            if attempt == self._retry.attempts:
                break
            if self._stop.wait(self._retry.delay(attempt, retry_after)):
                log.warning("notification to %s given up: closing", self.where)
                return self._delivery(False, tries)
        log.warning("notification to %s given up after %d attempts", self.where, tries.count)
        return self._delivery(False, tries)

    def _delivery(self, delivered: bool, tries: _Attempts) -> Delivery:
        return Delivery(delivered, tries.count, self.where, tries.status, tries.error)

    def _post_once(self, body: bytes, tries: _Attempts) -> tuple[_Verdict, float | None]:
        attempt = tries.count
        try:
            response = self._client.post(self._url, content=body)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            # Nothing reached the receiver: safe to send again.
            tries.status, tries.error = None, type(error).__name__
            self._warn(attempt, f"cannot connect ({type(error).__name__})")
            return _Verdict.RETRY, None
        except httpx.HTTPError as error:
            # It may have arrived (e.g. a read timeout): not re-sent, to avoid duplicates.
            tries.status, tries.error = None, type(error).__name__
            self._warn(attempt, f"{type(error).__name__}, not re-sent")
            return _Verdict.GIVE_UP, None
        tries.status, tries.error = response.status_code, None
        return self._judge(response, attempt)

    def _judge(self, response: httpx.Response, attempt: int) -> tuple[_Verdict, float | None]:
        status = response.status_code
        if response.is_success:
            log.debug("notification delivered to %s (HTTP %d)", self.where, status)
            return _Verdict.DELIVERED, None
        self._warn(attempt, f"HTTP {status}")
        if status == 429 or status >= 500:
            return _Verdict.RETRY, _retry_after(response)
        return _Verdict.GIVE_UP, None

    def _warn(self, attempt: int, what: str) -> None:
        log.warning("notification to %s, attempt %d: %s", self.where, attempt, what)


class _HttpxLogScrubber(logging.Filter):
    """httpx logs each request's full URL at INFO: replace the webhook's with its redaction."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._replacements: dict[str, str] = {}

    def hide(self, url: httpx.URL, redacted: str) -> None:
        secrets = {str(url), str(url.copy_with(username=None, password=None))}
        if url.raw_path not in (b"", b"/"):
            secrets.add(url.raw_path.decode("ascii", "replace"))
        if url.password:
            secrets.add(url.password)
        with self._lock:
            self._replacements.update(dict.fromkeys(secrets, redacted))
        logging.getLogger("httpx").addFilter(self)  # adding twice is a no-op

    def scrub(self, text: str) -> str:
        for secret in sorted(self._replacements, key=len, reverse=True):
            text = text.replace(secret, self._replacements[secret])
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._scrub_arg(arg) for arg in record.args)
        return True

    def _scrub_arg(self, arg: object) -> object:
        text = str(arg)
        scrubbed = self.scrub(text)
        return arg if scrubbed == text else scrubbed


_HTTPX_LOG_SCRUBBER = _HttpxLogScrubber()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None  # absent, or an HTTP date: fall back to the exponential delay


def _is_loopback(host: str) -> bool:
    """A receiver on this machine never needs the environment's proxy."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
