"""The release strategies end to end, as a user runs them: `--strategy swap-and-keep` (new
version on green, one swap, the old environment kept for a while, names alternating between
releases) against the simulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.e2e.cli import APP, BLUE, GREEN, Cli

KEEP = ("--strategy", "swap-and-keep")
FLAGS = ("--app", APP, "--blue", BLUE, "--green", GREEN)
VERSIONS = {
    "v1": {},
    "v2": {},
    "v3": {},
    "broken": {"status": 500, "body": "boom"},
    "late": {"fail_after": 400},  # healthy at first, 500 once deployed 2 s (AWS 400 s at speed 200)
}


@pytest.fixture
def target(sim: Simulator) -> ReleaseTarget:
    return seed_release_target(sim, app=APP, blue=BLUE, versions=VERSIONS)


def environments(sim: Simulator) -> dict[str, dict[str, Any]]:
    """The pair as EB lists it now, live ones only, by name."""
    found = sim.client("elasticbeanstalk").describe_environments(
        ApplicationName=APP, EnvironmentNames=[BLUE, GREEN]
    )["Environments"]
    return {e["EnvironmentName"]: e for e in found if e["Status"] != "Terminated"}


def templates(sim: Simulator) -> list[str]:
    (app,) = sim.client("elasticbeanstalk").describe_applications(ApplicationNames=[APP])[
        "Applications"
    ]
    return list(app.get("ConfigurationTemplates", []))


def shown(cli: Cli, run_id: str) -> dict[str, Any]:
    done = cli.run("runs", "show", run_id, "--json")
    assert done.exit_code == 0, done
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def test_swap_and_keep_puts_green_live_on_the_new_version_and_retires_the_old(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", *FLAGS, *KEEP, "--version-label", "v2")

    assert done.exit_code == 0, done
    assert cli.states(done.run_id) == [
        "preflight", "launching", "verifying_green", "going_live", "keeping_old",
        "retiring_old", "succeeded",
    ]  # fmt: skip
    live = environments(sim)
    assert list(live) == [GREEN], "the old environment (blue, on v1) was terminated"
    assert live[GREEN]["CNAME"] == target.cname and live[GREEN]["VersionLabel"] == "v2"
    assert templates(sim) == []
    document = shown(cli, done.run_id)
    assert document["strategy"] == "swap-and-keep"
    assert document["outcome"] == {
        "state": "succeeded", "verdict": "succeeded", "exit_code": 0,
        "meaning": document["outcome"]["meaning"],
    }  # fmt: skip
    assert any(w["window"] == "keep_old" for w in document["windows"])


def test_the_next_release_with_the_same_names_finds_the_live_environment(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    first = cli.run("full", *FLAGS, *KEEP, "--version-label", "v2")
    second = cli.run("full", *FLAGS, *KEEP, "--version-label", "v3")
    again = cli.run("full", *FLAGS, *KEEP, "--version-label", "v3")  # cron's re-run: no-op

    assert first.exit_code == 0, first
    assert second.exit_code == 0, second
    live = environments(sim)
    assert list(live) == [BLUE], "the names alternated back: blue is live again"
    assert live[BLUE]["CNAME"] == target.cname and live[BLUE]["VersionLabel"] == "v3"
    document = shown(cli, second.run_id)
    assert (document["blue"], document["green"]) == (GREEN, BLUE)
    assert document["previous_version_label"] == "v2"
    reasons = [e["message"] for e in document["events"] if e["message"].startswith("blue is")]
    assert reasons and f"{GREEN} holds the live CNAME" in reasons[0], reasons
    assert again.exit_code == 0 and "nothing to release" in again.stdout, again


def test_a_broken_version_never_reaches_live_traffic(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", *FLAGS, *KEEP, "--version-label", "broken")

    assert done.exit_code == 1, done
    states = cli.states(done.run_id)
    assert "going_live" not in states and states[-2:] == ["rolling_back", "rolled_back"]
    live = environments(sim)
    assert list(live) == [BLUE]
    assert (live[BLUE]["CNAME"], live[BLUE]["VersionLabel"]) == (target.cname, "v1")
    assert templates(sim) == []


def test_a_regression_in_the_keep_window_is_undone_by_one_swap_without_a_deploy(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.calls.clear()
    done = cli.run(
        "full", *FLAGS, *KEEP, "--version-label", "late", "--keep-old", "30",
        BLUEGREEN_HEALTH_DEADLINE="0.4", BLUEGREEN_HEALTH_SUCCESSES="1",
    )  # fmt: skip

    assert done.exit_code == 1, done
    states = cli.states(done.run_id)
    assert states[-4:] == ["going_live", "keeping_old", "rolling_back", "rolled_back"], states
    live = environments(sim)
    assert list(live) == [BLUE]
    assert (live[BLUE]["CNAME"], live[BLUE]["VersionLabel"]) == (target.cname, "v1")
    assert sim.calls.count("UpdateEnvironment") == 0, "restored by a swap, never by a deploy"
    assert len(sim.calls.performed("SwapEnvironmentCNAMEs")) == 2  # live, then back
    document = shown(cli, done.run_id)
    assert "regression during the keep window" in (document["rollback_reason"] or "")


def test_deploy_mode_waits_with_green_verified_then_cutover_makes_it_live(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    deployed = cli.run("deploy", *FLAGS, *KEEP, "--version-label", "v2")
    assert deployed.exit_code == 0, deployed
    assert environments(sim)[BLUE]["CNAME"] == target.cname, "live traffic still on blue"

    cut_over = cli.run("cutover", **cli.replaced_tool_env())

    assert cut_over.exit_code == 0, cut_over
    assert cli.states(deployed.run_id)[-5:] == [
        "awaiting_cutover", "going_live", "keeping_old", "retiring_old", "succeeded",
    ]  # fmt: skip
    live = environments(sim)
    assert list(live) == [GREEN] and live[GREEN]["VersionLabel"] == "v2"


def test_an_operator_rollback_in_the_keep_window_swaps_back(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    running = cli.start("full", *FLAGS, *KEEP, "--version-label", "v2", "--keep-old", "600")
    running.wait_for_line(lambda line: "keep old:" in line)
    running.process.terminate()  # SIGTERM: the run stays resumable, green live on v2
    stopped = running.finish()
    assert stopped.exit_code == 130, stopped
    assert environments(sim)[GREEN]["CNAME"] == target.cname

    rolled = cli.run("rollback", *FLAGS[:4])  # a run names its green: --green is refused

    assert rolled.exit_code == 0, rolled
    live = environments(sim)
    assert list(live) == [BLUE]
    assert (live[BLUE]["CNAME"], live[BLUE]["VersionLabel"]) == (target.cname, "v1")
    run_id = rolled.run_id
    assert shown(cli, run_id)["outcome"]["verdict"] == "rolled_back_by_operator"
