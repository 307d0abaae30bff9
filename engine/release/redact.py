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

_ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}")
# A secret access key: 40 base64 characters mixing upper, lower case and digits (a git SHA
# or a hex digest never has upper case, so it survives).
_SECRET_KEY = re.compile(
    r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])"
    r"(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
)
# Session tokens and other long opaque blobs.
_LONG_TOKEN = re.compile(r"[A-Za-z0-9/+]{100,}={0,2}")
_URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/\s:@]*):[^/\s@]+@")
_SECRET_ASSIGNMENT = re.compile(
    r"(?P<key>(?:[A-Za-z0-9_-]*(?:secret|password|passwd|token|signature|credential|api[_-]?key|"
    r"access[_-]?key))[\"']?\s*[=:]\s*[\"']?)(?P<value>[^\s&,;\"'<>]+)",
    re.IGNORECASE,
)
_AUTHORIZATION = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)


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
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = _URL_USERINFO.sub(r"\g<scheme>\g<user>:" + MASK + "@", text)
        text = _SECRET_ASSIGNMENT.sub(r"\g<key>" + MASK, text)
        text = _AUTHORIZATION.sub(r"\g<scheme> " + MASK, text)
        text = _ACCESS_KEY_ID.sub(MASK, text)
        text = _LONG_TOKEN.sub(MASK, text)
        return _SECRET_KEY.sub(MASK, text)

    def data(self, value: Any) -> Any:
        """Redact every string inside JSON-like data (dict keys are kept as they are)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value


def _is_credential_variable(name: str) -> bool:
    return name.upper() in CREDENTIAL_VARIABLES or bool(_SECRET_NAME.search(name))


def _usable_secrets(values: Iterable[str]) -> tuple[str, ...]:
    unique = {value for value in values if value and len(value) >= _MIN_SECRET_LENGTH}
    return tuple(sorted(unique, key=len, reverse=True))
