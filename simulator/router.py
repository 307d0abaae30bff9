"""The CNAME router: an HTTP forward proxy on loopback that plays DNS for environment CNAMEs.

`http://<cname>/path` (an absolute-URI proxy request, as clients send through HTTP_PROXY, or a
plain request whose Host header is the CNAME) goes to the environment that name resolves to
through the resolver cache of `simulator.dns` (so a swap arrives late, as DNS delivers it). It
only ever connects to the simulator's own app servers on 127.0.0.1; any other host gets a 502
and nothing is forwarded off the machine.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from simulator.serving import Background, QuietThreadingServer, send_text

# host name -> app server port on 127.0.0.1; None: unknown; LookupError: the answer is dead
Resolver = Callable[[str], int | None]

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


class _RouterHttpServer(QuietThreadingServer):
    resolve: Resolver


class _Handler(BaseHTTPRequestHandler):
    server: _RouterHttpServer

    def _route(self) -> None:
        host, path = self._target()
        try:
            port = self.server.resolve(host) if host else None
        except LookupError as error:  # a cached DNS answer naming an environment that is gone
            self._fail(502, f"bluegreen simulator router: {error}")
            return
        if port is None:
            self._fail(502, f"bluegreen simulator router: no environment answers for {host!r}")
            return
        try:
            self._forward(port, path)
        except OSError as error:
            self._fail(502, f"bluegreen simulator router: {host} did not answer ({error})")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _route  # noqa: N815

    def do_CONNECT(self) -> None:
        self._fail(501, "bluegreen simulator router: HTTPS (CONNECT) is not supported")

    def _target(self) -> tuple[str, str]:
        if "://" in self.path:
            parts = urlsplit(self.path)
            path = parts.path or "/"
            return (parts.hostname or "").lower(), path + (f"?{parts.query}" if parts.query else "")
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host.lower(), self.path

    def _forward(self, port: int, path: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            upstream.request(self.command, path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
        finally:
            upstream.close()
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _fail(self, status: int, message: str) -> None:
        send_text(self, status, message + "\n")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: one line per proxied request would drown the output."""


class CnameRouter(Background[_RouterHttpServer]):
    """The proxy server; `url` is what clients put in HTTP_PROXY."""

    def __init__(self, resolve: Resolver, host: str = "127.0.0.1", port: int = 0) -> None:
        server = _RouterHttpServer((host, port), _Handler)
        server.resolve = resolve
        super().__init__(server, "cname-router")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"
