"""Secret redaction for everything the tool prints or exports: progress, logs, history views.

Removes AWS credentials (access key ids, secret keys, session tokens), URL passwords and
secret-looking query parameters, and the values of credential variables in the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MASK = "***"

# Variables whose values are secrets whatever they look like.
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "BLUEGREEN_NOTIFY_URL",
)
# Any other variable whose name says it holds a secret.
_SECRET_NAME = re.compile(
    r"SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|WEBHOOK", re.IGNORECASE
)
# Shorter values would mask ordinary words all over the output.
_MIN_SECRET_LENGTH = 4

# Every pattern below runs in time linear in its input: each one starts at a literal or at
# the start of a run of characters (a lookbehind), and none can rescan a run from inside it.
# (The earlier `[A-Za-z0-9_-]*(?:secret|...)` restarted at every character of a long word:
# 41 s for 20,000 characters.) `MAX_SCAN_CHARS` bounds the work whatever the patterns: no
# line, event or message worth printing is longer, and what lies beyond is cut, not shown.
MAX_SCAN_CHARS = 1 << 16
_ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}")
# A secret access key: 40 base64 characters mixing upper, lower case and digits (a git SHA
# or a hex digest never has upper case, so it survives).
_SECRET_KEY = re.compile(
    r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])"
    r"(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
)
# Session tokens and other long opaque blobs.
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{100,}+={0,2}")
# `scheme://user:password@`: anchored at the literal `://`, the scheme is left as it is.
_URL_USERINFO = re.compile(r"://(?P<user>[^/\s:@]*+):[^/\s@]++@")
# `name = value` where the name ends with a secret word: the name starts a word (lookbehind),
# is taken whole (possessive, so a long word is read once), then must end with the word.
_SECRET_WORDS = (
    "secret", "password", "passwd", "token", "signature", "credential",
    "apikey", "api_key", "api-key", "accesskey", "access_key", "access-key",
)  # fmt: skip
_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_-])(?P<key>[A-Za-z0-9_-]*+(?:"
    + "|".join(f"(?<={word})" for word in _SECRET_WORDS)
    + r")[\"']?[ \t]*+[=:][ \t]*+[\"']?)[^\s&,;\"'<>]++",
    re.IGNORECASE,
)
_AUTHORIZATION = re.compile(
    r"\b(?P<scheme>Bearer|Basic)[ \t]++[A-Za-z0-9._~+/=-]{8,}+", re.IGNORECASE
)


@dataclass(frozen=True)
class Redactor:
    """Masks known secret values first (longest first), then anything shaped like one."""

    secrets: tuple[str, ...] = ()

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, extra: Iterable[str] = ()
    ) -> Redactor:
        env = os.environ if environ is None else environ
        values = [value for name, value in env.items() if _is_credential_variable(name)]
        return cls(secrets=_usable_secrets([*values, *extra]))

    def text(self, text: str) -> str:
        if len(text) > MAX_SCAN_CHARS:
            cut = len(text) - MAX_SCAN_CHARS
            text = text[:MAX_SCAN_CHARS] + f"... ({cut} more characters not shown)"
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return mask_shapes(text)

    def data(self, value: Any) -> Any:
        """Redact every string inside JSON-like data (dict keys are kept as they are)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value


def mask_shapes(text: str) -> str:
    """Anything shaped like a secret masked, in time linear in `text` (no length bound)."""
    text = _URL_USERINFO.sub(r"://\g<user>:" + MASK + "@", text)
    text = _ASSIGNMENT.sub(r"\g<key>" + MASK, text)
    text = _AUTHORIZATION.sub(r"\g<scheme> " + MASK, text)
    text = _ACCESS_KEY_ID.sub(MASK, text)
    text = _LONG_TOKEN.sub(MASK, text)
    return _SECRET_KEY.sub(MASK, text)


def _is_credential_variable(name: str) -> bool:
    return name.upper() in CREDENTIAL_VARIABLES or bool(_SECRET_NAME.search(name))


def _usable_secrets(values: Iterable[str]) -> tuple[str, ...]:
    unique = {value for value in values if value and len(value) >= _MIN_SECRET_LENGTH}
    return tuple(sorted(unique, key=len, reverse=True))
