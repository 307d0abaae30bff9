"""Route 53 as moto serves it, made more like the real service in two ways the engine relies on:
a record change stays PENDING until it has propagated, and its answer can be lost.

AWS: "Route 53 is designed to propagate updates you make to your DNS records to its world-wide
network of authoritative DNS servers within 60 seconds under normal conditions" (Route 53 FAQ),
and ChangeResourceRecordSets answers PENDING ("not yet been applied to all Amazon Route 53 DNS
servers", API reference, ChangeInfo). moto answers INSYNC at once; here a change is PENDING
for `Durations.route53_sync` (60 s, the upper figure: the stricter reading), scaled by speed.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Response

from simulator.faults import Faults
from simulator.timing import Clock, Timing

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# botocore's route53 model: POST /2013-04-01/hostedzone/{Id}/rrset/, GET /2013-04-01/change/{Id}
CHANGE_PATH = re.compile(r"^/2013-04-01/hostedzone/[^/]+/rrset/?$")
GET_CHANGE_PATH = re.compile(r"^/2013-04-01/change/([^/]+)$")
CHANGE_ID = re.compile(rb"<Id>(?:/change/)?([^<]+)</Id>")
IN_SYNC, PENDING = b"<Status>INSYNC</Status>", b"<Status>PENDING</Status>"


def is_route53_change(environ: dict[str, Any]) -> bool:
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
    return bool(
        (method == "POST" and CHANGE_PATH.match(path))
        or (method == "GET" and GET_CHANGE_PATH.match(path))
    )


class Route53Changes:
    """Wraps moto for ChangeResourceRecordSets and GetChange."""

    def __init__(self, moto: WsgiApp, faults: Faults, timing: Timing, clock: Clock) -> None:
        self._moto, self._faults, self._timing, self._clock = moto, faults, timing, clock
        self._submitted: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, headers, body = self._from_moto(environ)
        if environ.get("REQUEST_METHOD") == "POST":
            return self._changed(environ, start_response, status, headers, body)
        match = GET_CHANGE_PATH.match(environ.get("PATH_INFO", ""))
        if match and status.startswith("200") and self._pending(match.group(1)):
            body = body.replace(IN_SYNC, PENDING)
        return _respond(environ, start_response, status, headers, body)

    def _changed(
        self, environ: dict[str, Any], start: StartResponse, status: str,
        headers: list[tuple[str, str]], body: bytes,
    ) -> Iterable[bytes]:  # fmt: skip
        found = CHANGE_ID.search(body)
        if status.startswith("200") and found:
            with self._lock:
                self._submitted[found.group(1).decode()] = self._clock.now()
            body = body.replace(IN_SYNC, PENDING)
        if self._faults.take_route53_loss():
            return _lost_answer(environ, start)
        return _respond(environ, start, status, headers, body)

    def _pending(self, change_id: str) -> bool:
        with self._lock:
            submitted = self._submitted.get(change_id.removeprefix("/change/"))
        sync = self._timing.of("route53_sync")
        return submitted is not None and self._clock.now() - submitted < sync

    def _from_moto(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        answer: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            answer.update(status=status, headers=headers)

        body = b"".join(self._moto(environ, start))
        return answer["status"], answer["headers"], body


def _respond(
    environ: dict[str, Any], start: StartResponse, status: str,
    headers: list[tuple[str, str]], body: bytes,
) -> Iterable[bytes]:  # fmt: skip
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return Response(body, status, headers=kept)(environ, start)


def _lost_answer(environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
    """The change was made; the caller gets a 500 and cannot tell (the stricter reading of a
    lost response)."""
    body = (
        '<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
        "<Error><Type>Receiver</Type><Code>InternalFailure</Code>"
        "<Message>The answer was lost (simulated).</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
    return Response(body, 500, content_type="text/xml")(environ, start)
