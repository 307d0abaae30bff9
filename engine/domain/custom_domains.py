"""Custom domains in Route 53 as a run records them: what the operator asked for, the records
as preflight found them, and a change not yet settled; plus reading the replaced tool's SSM list.

Each is a small value kept in the run's facts as JSON text (so it survives a crash).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

from engine.domain.errors import ConfigurationError
from engine.domain.ports.dns import RecordSet

# A DNS name as Route 53 accepts it here: labels of letters, digits, hyphens and underscores
# (a leading `*.` for a wildcard), at most 253 characters, an optional trailing dot.
DNS_NAME = re.compile(
    r"^(\*\.)?([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$"
)
# Longer SSM values are refused before parsing (the replaced tool's list is a few names).
MAX_LIST_TEXT = 8192
# The replaced tool's SSM parameters: the record names under the application's name, and this.
SSM_ZONE_PARAMETER = "HostedZoneId"


def fqdn(name: str) -> str:
    """Route 53's spelling of a name: lower case with the trailing dot."""
    return name.strip().lower().rstrip(".") + "."


def check_record_name(name: str, where: str) -> str:
    if len(name) > 254 or not DNS_NAME.match(name):
        raise ConfigurationError(f"{where}: {name!r} is not a DNS record name")
    return fqdn(name)


def check_zone_id(zone_id: str, where: str) -> str:
    """`Z123...` or `/hostedzone/Z123...` -> `Z123...`."""
    bare = zone_id.strip().removeprefix("/hostedzone/")
    if not re.fullmatch(r"[A-Z0-9]{1,32}", bare):
        raise ConfigurationError(f"{where}: {zone_id!r} is not a Route 53 hosted zone id")
    return bare


def parse_name_list(text: str, where: str) -> tuple[str, ...]:
    """The replaced tool's list of record names (it ran `eval` on it): JSON, else a Python
    literal read by `ast.literal_eval`, which builds literals only and never runs code.
    Anything but a non-empty list of names is refused."""
    if len(text) > MAX_LIST_TEXT:
        raise ConfigurationError(f"{where}: longer than {MAX_LIST_TEXT} characters")
    value = _literal(text)
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(item, str) for item in value)
    ):
        raise ConfigurationError(
            f"{where}: not a list of record names (expected e.g. ['www.example.com'])"
        )
    return tuple(check_record_name(item, where) for item in value)


def _literal(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


@dataclass(frozen=True)
class CustomDomains:
    """What the operator asked for: record names in a zone, or the replaced tool's SSM
    parameters (read in preflight)."""

    zone_id: str | None = None
    names: tuple[str, ...] = ()
    from_ssm: bool = False

    def to_text(self) -> str:
        data = {"zone_id": self.zone_id, "names": list(self.names), "from_ssm": self.from_ssm}
        return json.dumps(data)

    @classmethod
    def from_text(cls, text: str) -> CustomDomains:
        data = json.loads(text)
        return cls(data.get("zone_id"), tuple(data.get("names") or ()), bool(data["from_ssm"]))


@dataclass(frozen=True)
class Managed:
    """A record set this run moves with the live traffic, as preflight found it. `form` says
    what it pointed at: blue's CNAME (the live name, which the swap itself moves) or blue's
    load balancer (`endpoint`, which must be re-pointed at each swap); `prefix` is kept
    (e.g. `dualstack.` in an alias to a load balancer)."""

    original: RecordSet
    form: str  # "cname" | "endpoint"
    prefix: str = ""


@dataclass(frozen=True)
class FoundRecords:
    """The records of a run, as preflight found them (restored exactly at rollback)."""

    zone_id: str
    records: tuple[Managed, ...] = field(default_factory=tuple)

    def to_text(self) -> str:
        items = [{"record": m.original.to_json(), "form": m.form, "prefix": m.prefix}
                 for m in self.records]  # fmt: skip
        return json.dumps({"zone_id": self.zone_id, "records": items})

    @classmethod
    def from_text(cls, text: str) -> FoundRecords:
        data: dict[str, Any] = json.loads(text)
        records = tuple(
            Managed(RecordSet.from_json(i["record"]), str(i["form"]), str(i.get("prefix", "")))
            for i in data["records"]
        )
        return cls(str(data["zone_id"]), records)
