"""Slack and Teams messages checked against the shapes their documentation gives, not only
for a key or two: a small structural validator per format.

Slack: an incoming webhook takes `text` (the fallback) and `blocks`
(https://api.slack.com/messaging/webhooks); Block Kit (https://api.slack.com/reference/
block-kit/blocks): at most 50 blocks; header: `text` plain_text at most 150 characters;
section: `text` (text object, at most 3000) and/or `fields` (at most 10, each at most 2000);
context: `elements` (at most 10) of text objects or images. A text object is `type`
plain_text|mrkdwn and `text`; `emoji` only on plain_text.

Teams (Microsoft, "Create Incoming Webhooks" and "Post a workflow when a webhook request is
received"): `{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": CARD}]}`; the card
(http://adaptivecards.io/schemas/adaptive-card.json) is `type` AdaptiveCard, `version` (1.4
here: Teams supports up to 1.5), `body` of elements; TextBlock needs `text`, FactSet needs
`facts` of {title, value} strings; a colour is one of the schema's Colors.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import State
from engine.domain.notification_events import EVENTS
from engine.operator.notification_formats import format_for, payload_for
from engine.operator.notifications import started_summary, summary_for
from engine.release.observer import Outcome
from tests.unit.operator.runs import finished_run

SLACK_BLOCK_KEYS = {
    "header": ({"type", "text"}, {"block_id"}),
    "section": ({"type"}, {"text", "fields", "block_id", "accessory"}),
    "context": ({"type", "elements"}, {"block_id"}),
    "divider": ({"type"}, {"block_id"}),
}
ADAPTIVE_COLOURS = {"default", "dark", "light", "accent", "good", "warning", "attention"}
TEAMS_MESSAGE_LIMIT = 28 * 1024  # Teams: a message (card included) at most 28 KB


def check_text_object(obj: Any, limit: int, kinds: set[str] = {"plain_text", "mrkdwn"}) -> None:  # noqa: B006
    assert isinstance(obj, dict), obj
    assert obj["type"] in kinds, obj
    assert isinstance(obj["text"], str) and 1 <= len(obj["text"]) <= limit, obj
    allowed = {"type", "text", "emoji", "verbatim"}
    assert set(obj) <= allowed, obj
    if obj["type"] == "mrkdwn":
        assert "emoji" not in obj, "emoji is for plain_text only"
        raw = obj["text"].replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")
        assert not set("<>&") & set(raw), f"unescaped control character in {obj['text']!r}"


def check_slack_message(message: Any) -> None:
    assert isinstance(message, dict)
    assert set(message) <= {"text", "blocks", "mrkdwn", "thread_ts"}
    assert isinstance(message["text"], str) and message["text"], "the fallback text"
    blocks = message["blocks"]
    assert isinstance(blocks, list) and 1 <= len(blocks) <= 50
    for block in blocks:
        required, optional = SLACK_BLOCK_KEYS[block["type"]]
        assert required <= set(block) <= required | optional, block
        if block["type"] == "header":
            check_text_object(block["text"], 150, {"plain_text"})
        elif block["type"] == "section":
            assert "text" in block or "fields" in block, block
            if "text" in block:
                check_text_object(block["text"], 3000)
            fields = block.get("fields", [])
            assert len(fields) <= 10
            for field in fields:
                check_text_object(field, 2000)
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            for element in block["elements"]:
                check_text_object(element, 3000)


def check_teams_message(message: Any) -> None:
    assert isinstance(message, dict)
    assert message["type"] == "message"
    assert len(json.dumps(message).encode()) <= TEAMS_MESSAGE_LIMIT
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert set(attachment) <= {"contentType", "contentUrl", "content"}
    card = attachment["content"]
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.4"
    assert isinstance(card["body"], list) and card["body"]
    for element in card["body"]:
        if element["type"] == "TextBlock":
            assert isinstance(element["text"], str) and element["text"]
            assert element.get("color", "default").lower() in ADAPTIVE_COLOURS
            assert element.get("size", "default") in {
                "default", "small", "medium", "large", "extraLarge",
                "Default", "Small", "Medium", "Large", "ExtraLarge",
            }  # fmt: skip
            assert isinstance(element.get("wrap", False), bool)
        elif element["type"] == "FactSet":
            assert element["facts"]
            for fact in element["facts"]:
                assert set(fact) == {"title", "value"}
                assert all(isinstance(fact[k], str) and fact[k] for k in fact)
        else:
            pytest.fail(f"an element this card does not use: {element['type']}")


OUTCOMES = {
    "succeeded": Outcome(finished_run(State.SUCCEEDED), ExitCode.OK, "released"),
    "waiting_for_cutover": Outcome(finished_run(State.AWAITING_CUTOVER), ExitCode.OK, "waits"),
    "rolled_back": Outcome(
        finished_run(State.ROLLED_BACK, rollback_reason="verifying failed: <HTTP 500> & more"),
        ExitCode.ROLLED_BACK, "undone",
    ),
    "rolled_back_by_operator": Outcome(finished_run(State.ROLLED_BACK), ExitCode.OK, "asked"),
    "refused": Outcome(
        finished_run(State.REFUSED, error="version junk is FAILED"), ExitCode.USAGE, "no"
    ),
    "failed": Outcome(finished_run(State.FAILED, error="x" * 5000), ExitCode.NEEDS_OPERATOR, ""),
    "interrupted": Outcome(finished_run(State.VERIFYING), ExitCode.INTERRUPTED, "SIGTERM"),
}  # fmt: skip


def summary_of(event: str) -> dict[str, object]:
    if event == "started":
        return started_summary(finished_run(State.PREFLIGHT))
    return summary_for(OUTCOMES[event])


@pytest.mark.parametrize("event", EVENTS)
def test_every_events_slack_message_has_block_kits_shape(event: str) -> None:
    message = payload_for("slack", summary_of(event))

    check_slack_message(message)
    header = message["blocks"][0]["text"]["text"]
    assert header.endswith(f"shop/shop-blue: v2 {summary_of(event)['headline']}"[:149])
    assert message["text"] == summary_of(event)["text"][:3000] or len(message["text"]) == 3000


@pytest.mark.parametrize("event", EVENTS)
def test_every_events_teams_message_is_an_adaptive_card(event: str) -> None:
    message = payload_for("teams", summary_of(event))

    check_teams_message(message)
    card = message["attachments"][0]["content"]
    facts = {fact["title"]: fact["value"] for fact in card["body"][2]["facts"]}
    assert facts["Event"] == event
    assert facts["Run"] == "run-7f3a"
    assert facts["Version"] == "v2"


def test_slack_escapes_its_control_characters_and_keeps_its_limits() -> None:
    message = payload_for("slack", summary_of("rolled_back"))
    section = message["blocks"][1]["text"]["text"]
    assert "&lt;HTTP 500&gt; &amp; more" in section

    long = payload_for("slack", summary_of("failed"))
    check_slack_message(long)
    assert len(long["blocks"][1]["text"]["text"]) == 3000 and long["text"].endswith("…")


def test_json_is_the_summary_itself() -> None:
    summary = summary_of("succeeded")
    assert payload_for("json", summary) == summary
    assert summary["event"] == "succeeded" and summary["outcome"] == "succeeded"


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("https://hooks.slack.com/services/T0/B0/XXXX", "slack"),
        ("https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def", "teams"),
        ("https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual", "teams"),
        ("https://default1.environment.api.powerplatform.com/powerautomate/x", "teams"),
        ("https://example.com/hooks/bluegreen", "json"),
        ("http://127.0.0.1:8080/hook", "json"),
    ],
)
def test_auto_chooses_the_format_from_the_webhooks_host(url: str, fmt: str) -> None:
    assert format_for("auto", url) == fmt
    assert format_for("json", url) == "json"
