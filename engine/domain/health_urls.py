"""The health path or URL: what is accepted, and its secrets (query tokens, user info).

`RELEASE_HEALTH_CHECKING_PATH` is a path on blue's CNAME, or (as the replaced tool read it) a
whole `http://` / `https://` URL. `check_health_path` refuses anything else before any change;
`without_secrets` is the URL as it may be stored, `secrets_of` the values it hides.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from engine.domain.errors import ConfigurationError
from engine.domain.text_checks import control_character_in

MAX_HEALTH_PATH = 2048  # what browsers and most servers accept in a request line
SECRET_MASK = "REDACTED"  # noqa: S105 (the mask, not a password)
WHOLE_URL_PREFIXES = ("http://", "https://")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# `javascript:`, `mailto:x`, `data:...`: a scheme without `//` (RFC 3986 §4.2: a relative
# path's first segment holds no colon, so this is never a path).
_BARE_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST_NAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?"
                        r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$")  # fmt: skip
# Query parameter names that carry credentials (signed URLs, API keys, tokens).
_SECRET_NAME = re.compile(r"token|key|sig|secret|pass|pwd|auth|credential|session", re.IGNORECASE)


def is_whole_url(path: str) -> bool:
    return path.startswith(WHOLE_URL_PREFIXES)


def check_health_path(path: str) -> None:
    """ConfigurationError (one line) unless `path` is a sane path or http(s) URL."""
    problem = health_path_problem(path)
    if problem:
        raise ConfigurationError(f"invalid health path or URL: {problem}")


def health_path_problem(path: str) -> str | None:
    """Why `path` cannot be probed, or None when it can."""
    if not path:
        return "it is empty"
    if len(path) > MAX_HEALTH_PATH:
        return f"{len(path)} characters, more than {MAX_HEALTH_PATH}"
    control = control_character_in(path)
    if control:
        return f"it holds the control character {control}"
    if any(character.isspace() for character in path):
        return "it holds white space (write a space as %20)"
    if is_whole_url(path):
        return _url_problem(path)
    if _SCHEME.match(path):
        return f"only http:// and https:// URLs can be probed, not {path.split(':', 1)[0]}://"
    if _BARE_SCHEME.match(path):
        return f"only http:// and https:// URLs can be probed, not {path.split(':', 1)[0]}:"
    return None


def _url_problem(url: str) -> str | None:
    """What is wrong with a whole URL; the URL itself is not repeated (it may hold a token)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:  # a bad IPv6 literal or a port out of 0-65535
        return f"the URL is not a URL ({error})"
    host = parts.hostname or ""
    if not host:
        return "the URL names no host"
    if not (_HOST_NAME.match(host) or _is_ip(host)):
        return f"the URL names no valid host ({host[:80]!r})"
    if port == 0:
        return "the URL names port 0"
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def without_secrets(url: str) -> str:
    """`url` with user info and secret-looking query values replaced by REDACTED."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{SECRET_MASK}@{netloc.rsplit('@', 1)[1]}"
    query = "&".join(_masked_pair(pair) for pair in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class SecretNotStored(ConfigurationError):
    """The run's health URL held secrets, which are not stored: it must be given again."""


def check_not_masked(path: str) -> None:
    """SecretNotStored when `path` is a stored (masked) URL, not one that can be probed."""
    if f"={SECRET_MASK}" in path or f"//{SECRET_MASK}@" in path:
        raise SecretNotStored(
            "the health URL's secrets are not stored in the history: give the URL again "
            "with --health-path / RELEASE_HEALTH_CHECKING_PATH"
        )


def has_secrets(url: str) -> bool:
    return without_secrets(url) != url


def secrets_of(url: str) -> tuple[str, ...]:
    """The secret values `url` holds, raw, decoded and re-encoded (for masking output)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ()
    found = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        found += [userinfo, *userinfo.split(":", 1)[1:]]
    raw_pairs = [pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair]
    found += [value for name, value in raw_pairs if value and _SECRET_NAME.search(unquote(name))]
    found += [v for n, v in parse_qsl(parts.query) if v and _SECRET_NAME.search(n)]
    variants = {form for value in found for form in (value, unquote(value), quote(value))}
    return tuple(sorted((v for v in variants if len(v) >= 4), key=len, reverse=True))


def _masked_pair(pair: str) -> str:
    name, equals, value = pair.partition("=")
    if equals and value and _SECRET_NAME.search(unquote(name)):
        return f"{name}={SECRET_MASK}"
    return pair
