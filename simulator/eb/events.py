"""The event log behind DescribeEvents: append-only, newest first, filtered and paginated."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from simulator.eb.errors import invalid
from simulator.eb.models import Event

SEVERITIES = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")

# DescribeEvents parameter -> the Event field it filters on (equality).
EQUALITY_FILTERS = {
    "ApplicationName": "app",
    "EnvironmentName": "env_name",
    "EnvironmentId": "env_id",
    "VersionLabel": "version_label",
    "TemplateName": "template_name",
    "RequestId": "request_id",
    "PlatformArn": "platform_arn",
}


# Each event is at least 1 ms after the one before: the EB CLI asks for events after the newest
# one it saw plus 1 ms (ebcli/lib/elasticbeanstalk.py, get_new_events), so events sharing a
# millisecond would be lost to it. AWS's timestamps have millisecond precision.
STEP = timedelta(milliseconds=1)


class EventLog:
    """Events in the order they happened; each one at a later millisecond than the last."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def add(self, event: Event) -> Event:
        last = self._events[-1] if self._events else None
        date = max(event.date, last.date + STEP) if last else event.date
        stored = replace(event, seq=len(self._events) + 1, date=date)
        self._events.append(stored)
        return stored

    def describe(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """DescribeEvents: newest first, every filter, MaxRecords/NextToken (default 1000)."""
        matches = [event for event in reversed(self._events) if _matches(event, params)]
        if "NextToken" in params:
            below = _token_seq(params["NextToken"])
            matches = [event for event in matches if event.seq < below]
        limit = params.get("MaxRecords", 1000)
        page, rest = matches[:limit], matches[limit:]
        result: dict[str, Any] = {"Events": [event.description() for event in page]}
        if rest:
            result["NextToken"] = f"ev-{page[-1].seq}"
        return result


def _token_seq(token: str) -> int:
    try:
        return int(token.removeprefix("ev-"))
    except ValueError:
        raise invalid(f"Invalid NextToken: {token}") from None


def _matches(event: Event, params: Mapping[str, Any]) -> bool:
    checks: list[Callable[[], bool]] = [
        lambda: all(
            getattr(event, field) == params[name]
            for name, field in EQUALITY_FILTERS.items()
            if name in params
        ),
        lambda: _on_or_after(event.date, params.get("StartTime")),
        lambda: _before(event.date, params.get("EndTime")),
        lambda: (
            SEVERITIES.index(event.severity) >= SEVERITIES.index(params.get("Severity", "TRACE"))
        ),
    ]
    return all(check() for check in checks)


def _on_or_after(date: datetime, start: datetime | None) -> bool:
    # "returned descriptions ... occur on or after this time"
    return start is None or date >= start


def _before(date: datetime, end: datetime | None) -> bool:
    # "returned descriptions ... occur up to, but not including, the EndTime"
    return end is None or date < end
