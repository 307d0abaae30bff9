"""What a notification looks like on the wire: the run summary as JSON, a Slack message, a
Microsoft Teams message (docs/notifications.md shows one of each).

`payload_for(fmt, summary)` turns the summary (`engine.operator.notifications`) into the JSON
body the receiver expects; `format_for(requested, url)` resolves `--notify-format auto` from the
webhook's host. Plain dicts only: the adapter (`cloud.notify`) posts whatever it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from engine.domain.durations import human_duration

FORMATS = ("json", "slack", "teams")

# Slack's Block Kit limits (https://api.slack.com/reference/block-kit/blocks): a header's
# plain_text at most 150 characters; a section's text at most 3000, its fields at most 10 of
# at most 2000 each; a context's elements at most 10; a message at most 50 blocks.
SLACK_HEADER_LIMIT = 150
SLACK_SECTION_LIMIT = 3000
SLACK_FIELD_LIMIT = 2000
SLACK_MAX_FIELDS = 10

# What each event looks like: a Slack emoji and an Adaptive Card TextBlock colour (one of
# Default, Dark, Light, Accent, Good, Warning, Attention: the Adaptive Cards schema's Colors).
_LOOKS: dict[str, tuple[str, str]] = {
    "started": (":rocket:", "Accent"),
    "waiting_for_cutover": (":hourglass_flowing_sand:", "Accent"),
    "succeeded": (":white_check_mark:", "Good"),
    "rolled_back": (":leftwards_arrow_with_hook:", "Warning"),
    "rolled_back_by_operator": (":leftwards_arrow_with_hook:", "Warning"),
    "refused": (":no_entry:", "Attention"),
    "failed": (":rotating_light:", "Attention"),
    "interrupted": (":double_vertical_bar:", "Warning"),
}


def notify_urls(value: str | None) -> list[str]:
    """The webhooks `--notify-url` names: one URL, or several separated by whitespace (a URL
    never holds a raw space), each sent every event asked for."""
    return list(dict.fromkeys((value or "").split()))


def notify_secrets(value: str | None) -> list[str]:
    """What progress output must never show of `--notify-url`: the value and each URL."""
    return [value or "", *notify_urls(value)]


def format_for(requested: str, url: str) -> str:
    """`auto`: slack for Slack's incoming webhooks (hooks.slack.com), teams for Microsoft's
    (Teams incoming webhooks on *.webhook.office.com, Workflows on *.logic.azure.com and
    *.powerplatform.com), json for anything else; any other value as given."""
    if requested != "auto":
        return requested
    host = (urlsplit(url.strip()).hostname or "").lower()
    if host == "hooks.slack.com":
        return "slack"
    teams_hosts = (".webhook.office.com", ".logic.azure.com", ".powerplatform.com")
    if host.endswith(teams_hosts):
        return "teams"
    return "json"


def payload_for(fmt: str, summary: Mapping[str, Any]) -> dict[str, Any]:
    """The body to post for `summary` in format `fmt` (json, slack or teams)."""
    if fmt == "slack":
        return slack_message(summary)
    if fmt == "teams":
        return teams_message(summary)
    return dict(summary)


def _title(summary: Mapping[str, Any]) -> str:
    """`shop/shop-blue: v2 succeeded` (the event's words for it)."""
    target = f"{summary.get('app')}/{summary.get('blue')}"
    return f"{target}: {summary.get('version_label')} {summary.get('headline', '')}".strip()


def _facts(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    facts = [
        ("Event", summary.get("event")),
        ("Application", summary.get("app")),
        ("Environment", summary.get("blue")),
        ("Region", summary.get("region")),
        ("Version", summary.get("version_label")),
        ("Previous version", summary.get("previous_version_label")),
        ("Strategy", summary.get("strategy")),
        ("Run", summary.get("run_id")),
    ]
    if summary.get("duration_seconds") is not None:
        facts.append(("Duration", human_duration(float(summary["duration_seconds"]))))
    return [(name, str(value)) for name, value in facts if value not in (None, "")]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slack_escaped(text: str) -> str:
    """Slack's mrkdwn: &, < and > are control characters, sent as HTML entities
    (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook message (https://api.slack.com/messaging/webhooks): `text` is
    the notification's fallback (and what Slack shows in notifications), `blocks` a header, a
    section with the summary line and its fields, and a context line with the run's id."""
    event = str(summary.get("event", ""))
    emoji, _ = _LOOKS.get(event, (":information_source:", "Default"))
    text = str(summary.get("text", ""))
    fields = [
        {"type": "mrkdwn", "text": _clip(f"*{name}*\n{_slack_escaped(value)}", SLACK_FIELD_LIMIT)}
        for name, value in _facts(summary)[1:]
    ][:SLACK_MAX_FIELDS]
    section = SLACK_SECTION_LIMIT
    context = f"bluegreen · run {summary.get('run_id')} · exit code {summary.get('exit_code')}"
    return {
        "text": _clip(text, SLACK_SECTION_LIMIT),
        "blocks": [
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": _clip(f"{emoji} {_title(summary)}", SLACK_HEADER_LIMIT),
                    "emoji": True,
                },
            },
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _clip(_slack_escaped(text), section)},
                "fields": fields,
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escaped(context)}]},
        ],
    }


def teams_message(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A Teams message carrying an Adaptive Card 1.4, as Microsoft's "Create Incoming
    Webhooks" and "Post a workflow when a webhook request is received" (Power Automate's
    Workflows, which replace the Office 365 connectors) take it: `type: message`, one
    attachment of contentType application/vnd.microsoft.card.adaptive whose `content` is the
    card (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/
    how-to/add-incoming-webhook; schema http://adaptivecards.io/schemas/adaptive-card.json)."""
    event = str(summary.get("event", ""))
    _, colour = _LOOKS.get(event, ("", "Default"))
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": _title(summary),
                "size": "Medium",
                "weight": "Bolder",
                "color": colour,
                "wrap": True,
            },
            {"type": "TextBlock", "text": str(summary.get("text", "")), "wrap": True},
            {
                "type": "FactSet",
                "facts": [{"title": name, "value": value} for name, value in _facts(summary)],
            },
        ],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }
