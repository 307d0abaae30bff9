"""The release strategies end to end, as a user runs them: `--strategy swap-and-keep` (new
version on green, one swap, the old environment kept for a while, names alternating between
releases) against the simulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator import Simulator
from simulator.eb.models import SOLUTION_STACK
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow  # three releases: ~40 s
def test_keep_old_forever_the_kept_environment_is_the_next_releases_target(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    forever = (*KEEP, "--keep-old", "forever")
    first = cli.run("full", *FLAGS, *forever, "--version-label", "v2")
    assert first.exit_code == 0, first
    assert {n: e["VersionLabel"] for n, e in environments(sim).items()} == {
        BLUE: "v1", GREEN: "v2"}  # fmt: skip
    sim.calls.clear()
    sim.faults.lose_response("UpdateEnvironment")  # the deploy to the kept one: answer lost

    second = cli.run("full", *FLAGS, *forever, "--version-label", "v3")

    assert second.exit_code == 0, second
    live = environments(sim)
    assert {n: e["VersionLabel"] for n, e in live.items()} == {BLUE: "v3", GREEN: "v2"}
    assert live[BLUE]["CNAME"] == target.cname, "the kept environment went live on v3"
    assert live[BLUE]["EnvironmentId"] == target.blue_id, "adopted, not created again"
    assert sim.calls.count("CreateEnvironment") == 0
    assert sim.calls.count("CreateConfigurationTemplate") == 0
    deploys = sim.calls.performed("UpdateEnvironment")
    assert [(c.params.get("EnvironmentId"), c.params.get("VersionLabel")) for c in deploys] == [
        (target.blue_id, "v3")]  # fmt: skip
    assert templates(sim) == []
    document = shown(cli, second.run_id)
    assert (document["blue"], document["green"]) == (GREEN, BLUE)
    adopted = [e for e in document["events"] if "adopted_from_run" in e["data"]]
    assert len(adopted) == 1 and f"run {first.run_id} kept it" in adopted[0]["message"]
    assert adopted[0]["data"]["adopted_from_run"] == first.run_id
    shown_text = cli.run("runs", "show", second.run_id, COLUMNS="250")
    assert f"adopting the kept environment {BLUE}" in shown_text.stdout, shown_text

    third = cli.run("full", *FLAGS, *forever, "--version-label", "v1")

    assert third.exit_code == 0, third
    live = environments(sim)
    assert {n: e["VersionLabel"] for n, e in live.items()} == {BLUE: "v3", GREEN: "v1"}
    assert live[GREEN]["CNAME"] == target.cname, "the names alternate: green is live again"
    assert sim.calls.count("CreateEnvironment") == 0
    assert (shown(cli, third.run_id)["blue"], shown(cli, third.run_id)["green"]) == (BLUE, GREEN)


def test_a_kept_environment_that_is_not_green_is_refused_before_anything_changes(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    forever = (*KEEP, "--keep-old", "forever")
    assert cli.run("full", *FLAGS, *forever, "--version-label", "v2").exit_code == 0
    sim.faults.stick(BLUE, ops=("update",))  # a console change under way on the kept one
    sim.client("elasticbeanstalk").update_environment(EnvironmentName=BLUE, VersionLabel="v3")
    sim.calls.clear()

    refused = cli.run("full", *FLAGS, *forever, "--version-label", "v3")

    assert refused.exit_code == 2, refused
    assert cli.states(refused.run_id)[-1] == "refused"
    assert f"the kept environment {BLUE}" in refused.stdout and "is Updating" in refused.stdout
    assert sim.calls.count("UpdateEnvironment") == sim.calls.count("CreateEnvironment") == 0
    assert environments(sim)[GREEN]["CNAME"] == target.cname
    sim.release(BLUE)


def test_an_environment_under_the_green_name_not_kept_by_the_pair_is_not_adopted(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    forever = (*KEEP, "--keep-old", "forever")
    assert cli.run("full", *FLAGS, *KEEP, "--version-label", "v2").exit_code == 0  # not kept
    eb = sim.client("elasticbeanstalk")
    eb.create_environment(ApplicationName=APP, EnvironmentName=BLUE, VersionLabel="v1",
                          SolutionStackName=SOLUTION_STACK)  # fmt: skip

    refused = cli.run("full", *FLAGS, *forever, "--version-label", "v3")

    assert refused.exit_code == 2, refused
    assert "green name taken" in refused.stdout, refused


def test_a_rolled_back_adoption_keeps_the_kept_environment_only_while_it_is_unchanged(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    forever = (*KEEP, "--keep-old", "forever")
    assert cli.run("full", *FLAGS, *forever, "--version-label", "v2").exit_code == 0
    sim.faults.fail_update(BLUE, times=1)  # EB fails the deploy and keeps the old version

    failed = cli.run("full", *FLAGS, *forever, "--version-label", "v3")

    assert failed.exit_code == 1, failed
    assert cli.states(failed.run_id)[-1] == "rolled_back"
    live = environments(sim)
    assert {n: e["VersionLabel"] for n, e in live.items()} == {BLUE: "v1", GREEN: "v2"}
    assert live[GREEN]["CNAME"] == target.cname
    assert live[BLUE]["EnvironmentId"] == target.blue_id, "unchanged, so kept as it was"

    broken = cli.run("full", *FLAGS, *forever, "--version-label", "broken")

    assert broken.exit_code == 1, broken
    assert "going_live" not in cli.states(broken.run_id)
    live = environments(sim)
    assert list(live) == [GREEN], "the kept environment ran the broken version: terminated"
    assert (live[GREEN]["CNAME"], live[GREEN]["VersionLabel"]) == (target.cname, "v2")
