"""HttpxHealthProbe: the HealthProbe port as one HTTP GET over a shared httpx client.

TLS certificates are always verified unless the constructor gets `verify=False` explicitly.
Proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as do extra CA
certificates (SSL_CERT_FILE, SSL_CERT_DIR). Redirects are reported, not followed.
"""

from __future__ import annotations

import ssl
import time
from types import TracebackType

import httpx

from cloud.user_agent import USER_AGENT
from engine.domain.errors import ProbeError
from engine.domain.ports.cloud import ProbeResult

EXCERPT_CHARS = 200
READ_LIMIT_BYTES = 4096  # a health page is small; never download a whole large one


class HttpxHealthProbe:
    """GETs a URL and reports status, latency and a body excerpt; closes with `close()`."""

    def __init__(self, verify: bool = True, user_agent: str = f"{USER_AGENT} health-probe") -> None:
        self.tls_context: ssl.SSLContext = httpx.create_ssl_context(verify=verify)
        try:
            self._client = httpx.Client(
                verify=self.tls_context,
                trust_env=True,
                follow_redirects=False,
                headers={"User-Agent": user_agent, "Cache-Control": "no-cache"},
            )
        except ValueError as error:  # e.g. HTTP_PROXY=ftp://...
            raise ProbeError(f"bad proxy setting in the environment: {error}") from error

    def probe(self, url: str, timeout_seconds: float, host: str | None = None) -> ProbeResult:
        """Never raises for a bad status, a refused connection, a timeout or a garbled body.
        `host` replaces the Host header: the URL says where to connect, `host` which site."""
        request = self._request(url, timeout_seconds)
        if host:
            request.headers["Host"] = host
        shown_url = redacted(request.url)
        started = time.perf_counter()
        try:
            status, excerpt = self._send(request)
        except httpx.TimeoutException as error:
            problem = f"timed out after {timeout_seconds:g} s ({type(error).__name__})"
            return ProbeResult(shown_url, None, time.perf_counter() - started, error=problem)
        except httpx.ProxyError as error:
            raise ProbeError(f"the HTTP proxy refused {shown_url}: {error}") from error
        except httpx.RequestError as error:  # transport, or a body that cannot be decoded
            problem = f"{type(error).__name__}: {error}"
            return ProbeResult(shown_url, None, time.perf_counter() - started, error=problem)
        latency = time.perf_counter() - started
        return ProbeResult(shown_url, status, latency, body_excerpt=excerpt)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpxHealthProbe:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _request(self, url: str, timeout_seconds: float) -> httpx.Request:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise ProbeError(f"invalid health-check URL {url!r}: {error}") from error
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ProbeError(f"invalid health-check URL {url!r}: need http(s)://host/path")
        return self._client.build_request("GET", parsed, timeout=timeout_seconds)

    def _send(self, request: httpx.Request) -> tuple[int, str]:
        response = self._client.send(request, stream=True)
        try:
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= READ_LIMIT_BYTES:
                    break
        finally:
            response.close()
        text = body.decode(response.encoding or "utf-8", errors="replace")
        return response.status_code, text.strip()[:EXCERPT_CHARS]


def redacted(url: httpx.URL) -> str:
    """The URL without user info, so no password reaches the run's history."""
    if url.userinfo:
        return str(url.copy_with(username=None, password=None))
    return str(url)
