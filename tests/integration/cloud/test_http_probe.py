"""HttpxHealthProbe against a tiny HTTP server on loopback: statuses, failures, excerpts, TLS."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cloud.http_probe import HttpxHealthProbe
from engine.domain.errors import ProbeError

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
RELEASE_SLOW_RESPONSE = threading.Event()


class Handler(BaseHTTPRequestHandler):
    routes = {
        "/health": (200, b"version v1"),
        "/broken": (503, b"not ready"),
        "/moved": (302, b""),
        "/large": (200, b"x" * 100_000),
        "/garbled": (200, b"not gzip at all"),
    }

    def do_GET(self) -> None:
        if self.path == "/slow":
            RELEASE_SLOW_RESPONSE.wait(10)
        status, body = self.routes.get(self.path, (404, b"no such page"))
        if self.path == "/agent":
            status, body = 200, self.headers.get("User-Agent", "").encode()
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/health")
        if self.path == "/garbled":  # a body that cannot be decoded as it claims to be
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    RELEASE_SLOW_RESPONSE.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[HttpxHealthProbe]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with HttpxHealthProbe() as health_probe:
        yield health_probe


def test_a_healthy_page_reports_its_status_and_body(probe: HttpxHealthProbe, server: str) -> None:
    result = probe.probe(f"{server}/health", timeout_seconds=5)

    assert (result.status, result.error, result.body_excerpt) == (200, None, "version v1")
    assert result.ok([200]) and result.latency_seconds >= 0
    assert result.url == f"{server}/health"


def test_the_probe_says_who_it_is(probe: HttpxHealthProbe, server: str) -> None:
    excerpt = probe.probe(f"{server}/agent", timeout_seconds=5).body_excerpt

    assert excerpt.startswith("beanstalk-bluegreen/") and excerpt.endswith("health-probe")


def test_a_bad_status_is_a_result_not_an_exception(probe: HttpxHealthProbe, server: str) -> None:
    result = probe.probe(f"{server}/broken", timeout_seconds=5)

    assert result.status == 503 and result.error is None
    assert not result.ok([200])


def test_redirects_are_reported_not_followed(probe: HttpxHealthProbe, server: str) -> None:
    assert probe.probe(f"{server}/moved", timeout_seconds=5).status == 302


def test_the_body_excerpt_is_at_most_200_characters(probe: HttpxHealthProbe, server: str) -> None:
    assert len(probe.probe(f"{server}/large", timeout_seconds=5).body_excerpt) == 200


def test_a_refused_connection_is_a_result_with_the_error(probe: HttpxHealthProbe) -> None:
    result = probe.probe("http://127.0.0.1:1/health", timeout_seconds=5)

    assert result.status is None
    assert result.error is not None and "ConnectError" in result.error
    assert not result.ok([200])


def test_a_body_that_cannot_be_decoded_is_a_result_with_the_error(
    probe: HttpxHealthProbe, server: str
) -> None:
    result = probe.probe(f"{server}/garbled", timeout_seconds=5)

    assert result.status is None
    assert result.error is not None and "DecodingError" in result.error
    assert not result.ok([200])


def test_a_timeout_is_a_result_with_the_error(probe: HttpxHealthProbe, server: str) -> None:
    result = probe.probe(f"{server}/slow", timeout_seconds=0.2)

    assert result.status is None
    assert result.error is not None and "timed out after 0.2 s" in result.error


@pytest.mark.parametrize("url", ["shop.example.com/health", "ftp://shop/health", "http://"])
def test_an_invalid_url_raises_a_probe_error(probe: HttpxHealthProbe, url: str) -> None:
    with pytest.raises(ProbeError, match="invalid health-check URL"):
        probe.probe(url, timeout_seconds=1)


def test_a_password_in_the_url_never_reaches_the_result(probe: HttpxHealthProbe) -> None:
    result = probe.probe("http://ops:s3cret@127.0.0.1:1/health", timeout_seconds=5)

    assert "s3cret" not in result.url and "s3cret" not in (result.error or "")


def test_tls_certificates_and_host_names_are_verified_by_default() -> None:
    with HttpxHealthProbe() as probe:
        assert probe.tls_context.verify_mode == ssl.CERT_REQUIRED
        assert probe.tls_context.check_hostname is True


def test_tls_verification_is_off_only_when_asked_explicitly() -> None:
    with HttpxHealthProbe(verify=False) as probe:
        assert probe.tls_context.verify_mode == ssl.CERT_NONE


def test_an_invalid_proxy_setting_is_a_probe_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "ftp://127.0.0.1:3128")

    with pytest.raises(ProbeError, match="proxy"):
        HttpxHealthProbe()
