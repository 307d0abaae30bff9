"""Notifications as a user configures them: `--notify-on`, `--notify-format`, a webhook on
127.0.0.1, and the delivery record `runs show` prints."""

from __future__ import annotations

import json

import pytest

from cloud.notify import redact_url
from simulator import Simulator
from simulator.seed import ReleaseTarget, wait_for_version
from tests.e2e.cli import APP, BLUE, GREEN, Cli
from tests.integration.cloud.receiver import running_receiver

FLAGS = ("--app", APP, "--blue", BLUE, "--green", GREEN)
SECRET = "/services/T0001/B0002/XSECRETX"


@pytest.mark.slow
def test_deploy_then_cutover_sends_started_waiting_then_succeeded_and_runs_show_says_so(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    with running_receiver(path=SECRET) as receiver:
        notify = ("--notify-url", receiver.url, "--notify-on", "all")
        deployed = cli.run("deploy", *FLAGS, "--version-label", "v2", *notify)
        cut_over = cli.run("cutover", "--app", APP, "--blue", BLUE, *notify)

    assert deployed.exit_code == 0 and cut_over.exit_code == 0, (deployed, cut_over)
    run_id = deployed.run_id
    assert [(m["run_id"], m["event"]) for m in receiver.accepted] == [
        (run_id, "started"), (run_id, "waiting_for_cutover"), (run_id, "succeeded"),
    ]  # fmt: skip
    shown = cli.run("runs", "show", run_id, COLUMNS="250")  # a fixed width: cells wrap
    assert shown.exit_code == 0, shown
    where = receiver.url.split("/services")[0] + "/…"
    line = f"notification succeeded (json, {where}) → delivered (HTTP 200, 1 attempt)"
    assert line in shown.stdout
    as_json = json.loads(cli.run("runs", "show", run_id, "--json").stdout)
    notes = [e for e in as_json["events"] if e["source"] == "notify"]
    assert [(e["data"]["notification"], e["data"]["delivered"]) for e in notes] == [
        ("started", True), ("waiting_for_cutover", True), ("succeeded", True),
    ]  # fmt: skip
    assert "XSECRETX" not in shown.stdout + json.dumps(as_json)


def failed_version(sim: Simulator, target: ReleaseTarget) -> None:
    """Version `junk` of the app, FAILED in EB (its bundle is not a zip): preflight refuses it."""
    sim.client("s3").put_object(Bucket=target.bucket, Key="junk.zip", Body=b"not a zip")
    sim.client("elasticbeanstalk").create_application_version(
        ApplicationName=APP, VersionLabel="junk", Process=True,
        SourceBundle={"S3Bucket": target.bucket, "S3Key": "junk.zip"},
    )  # fmt: skip
    assert wait_for_version(sim, APP, "junk")["Status"] == "FAILED"


def test_a_refused_release_sends_started_then_refused(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    failed_version(sim, target)

    with running_receiver() as receiver:
        done = cli.run(
            "full", *FLAGS, "--version-label", "junk", BLUEGREEN_NOTIFY_URL=receiver.url,
            BLUEGREEN_NOTIFY_ON="started,refused,failed",
        )  # fmt: skip

    assert done.exit_code == 2, done
    assert [m["event"] for m in receiver.accepted] == ["started", "refused"]
    assert receiver.accepted[1]["outcome"] == "refused"


def test_several_webhooks_each_get_every_event_and_each_delivery_is_recorded(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    failed_version(sim, target)

    with running_receiver(path=SECRET) as chat, running_receiver() as pager:
        chat.answers = [500] * 100  # one failing webhook holds back none of the others
        done = cli.run(
            "full", *FLAGS, "--version-label", "junk",
            BLUEGREEN_NOTIFY_URL=f"  {chat.url}  {pager.url} ", BLUEGREEN_NOTIFY_ON="refused",
        )  # fmt: skip

    assert done.exit_code == 2, done
    assert [m["event"] for m in pager.accepted] == ["refused"], (done, pager.requests)
    assert len(chat.requests) == 4
    shown = json.loads(cli.run("runs", "show", done.run_id, "--json").stdout)
    notes = sorted(
        (e["data"]["where"], e["data"]["delivered"]) for e in shown["events"]
        if e["source"] == "notify"
    )  # fmt: skip
    assert notes == sorted([(redact_url(chat.url), False), (redact_url(pager.url), True)])
    assert "XSECRETX" not in done.stdout + done.stderr + json.dumps(shown)


@pytest.mark.slow
def test_a_webhook_answering_500_leaves_the_release_as_it_was_and_the_history_says_given_up(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    with running_receiver(path=SECRET) as receiver:
        receiver.answers = [500] * 100
        done = cli.run("full", *FLAGS, "--version-label", "v2", "--notify-url", receiver.url,
                       "--notify-format", "teams")  # fmt: skip

    assert done.exit_code == 0, done
    assert cli.states(done.run_id)[-1] == "succeeded"
    assert len(receiver.requests) == 4  # the default: 4 attempts
    assert json.loads(receiver.requests[0][2])["type"] == "message"
    shown = cli.run("runs", "show", done.run_id, COLUMNS="250")  # a fixed width: cells wrap
    assert "notification succeeded (teams, http://127.0.0.1:" in shown.stdout
    assert "→ given up after 4 attempts (HTTP 500)" in shown.stdout


def test_an_unknown_event_is_refused_in_one_line_before_anything_is_recorded(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", *FLAGS, "--version-label", "v2", "--notify-url",
                   "https://example.com/hook", "--notify-on", "succeeded,sucess")  # fmt: skip

    assert done.exit_code == 2, done
    assert "unknown event 'sucess'" in done.stdout + done.stderr
    assert len((done.stdout + done.stderr).strip().splitlines()) == 1, done
    assert cli.history_is_empty()
