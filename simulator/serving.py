"""What the simulator's HTTP servers share: serving in a named daemon thread, stopping
cleanly, and plain-text answers."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Generic, TypeVar

Server = TypeVar("Server", bound=socketserver.BaseServer)


class QuietThreadingServer(ThreadingHTTPServer):
    """A thread per request; closing does not wait for requests still in flight."""

    daemon_threads = True
    block_on_close = False


class Background(Generic[Server]):
    """Serves `server` in a daemon thread named `name`; `stop()` closes its port."""

    def __init__(self, server: Server, name: str) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def send_text(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: str,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Answer `status` with a text/plain `body` (no body for HEAD) and extra `headers`."""
    payload = body.encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "text/plain; charset=utf-8")
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(payload)
