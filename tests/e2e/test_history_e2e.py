"""What `bluegreen runs list/show/report` and `bluegreen status` say about real releases run
through the CLI against the simulator: one succeeded, one rolled back (its app answers 500),
one SIGKILLed after the swap and resumed. JSON progress lines must parse and carry no secret.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.seed import seed_release_target
from tests.e2e.cli import with_crash_hooks

DUMMY_SECRET = "e2e-dummy-SECRET-value-7Hq2xZ"
TARGET = ("--app", "shop", "--blue", "shop-blue", "--green", "shop-green")
CLI_TIMEOUT = 180


@dataclass(frozen=True)
class Invocation:
    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        assert self.exit_code == 0, self.stderr
        return json.loads(self.stdout)

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines()]


@dataclass
class Releases:
    """The three releases, what the CLI printed, and how to ask it more."""

    env: dict[str, str]
    invocations: list[Invocation] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    status_while_killed: list[dict] = field(default_factory=list)

    def bluegreen(self, *args: str, **extra_env: str) -> Invocation:
        command = [*_cli(), *args]
        done = subprocess.run(
            command, env={**self.env, **extra_env}, capture_output=True, text=True,
            timeout=CLI_TIMEOUT, check=False,
        )  # fmt: skip
        invocation = Invocation(tuple(args), done.returncode, done.stdout, done.stderr)
        self.invocations.append(invocation)
        return invocation


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "bluegreen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "engine.operator.cli"]


def _environment(sim: Simulator, home: Path) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BLUEGREEN_"))}
    return {
        **with_crash_hooks(inherited),
        **sim.client_env(),
        "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
        "XDG_STATE_HOME": str(home),
        "BLUEGREEN_DATABASE_URL": f"sqlite:///{home / 'runs.db'}",
        "BLUEGREEN_HEALTH_INTERVAL": "0.2",
        "BLUEGREEN_HEALTH_DEADLINE": "4",
        "BLUEGREEN_LEASE_SECONDS": "3",
        "BLUEGREEN_DNS_SETTLE": str(sim.dns_settle_seconds),
        "COLUMNS": "200",
    }


def _run_id(invocation: Invocation) -> str:
    return invocation.json_lines()[0]["run_id"]


def _wait_for_expired_lease(releases: Releases, run_id: str, deadline: float = 60) -> list[dict]:
    give_up = time.monotonic() + deadline
    while time.monotonic() < give_up:
        rows = releases.bluegreen("status", "--json").json()
        if any(r["id"] == run_id and r["lease"]["status"] != "live" for r in rows):
            return rows
        time.sleep(0.2)
    raise AssertionError(f"the lease of {run_id} did not expire within {deadline} s")


@pytest.fixture(scope="module")
def releases(running_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Releases:
    sim = running_simulator
    sim.reset()
    versions = {"v1": {}, "v2": {}, "v3-broken": {"status": 500, "body": "boom"}}
    seed_release_target(sim, app="shop", blue="shop-blue", versions=versions)
    releases = Releases(_environment(sim, tmp_path_factory.mktemp("e2e-history")))
    good = releases.bluegreen("full", *TARGET, "--version-label", "v2", "--log-format", "json")
    assert good.exit_code == 0, good.stderr
    releases.ids["succeeded"] = _run_id(good)
    broken = releases.bluegreen(
        "full", *TARGET, "--version-label", "v3-broken", "--log-format", "json"
    )
    assert broken.exit_code == 1, broken.stderr
    releases.ids["rolled_back"] = _run_id(broken)
    killed = releases.bluegreen(
        "full", *TARGET, "--version-label", "v1", "--log-format", "json",
        BLUEGREEN_TEST_CRASH_AT="state:deploying",
    )  # fmt: skip
    assert killed.exit_code == -9, killed.stderr
    releases.ids["resumed"] = _run_id(killed)
    releases.status_while_killed = _wait_for_expired_lease(releases, releases.ids["resumed"])
    resumed = releases.bluegreen("resume", releases.ids["resumed"], "--log-format", "text")
    assert resumed.exit_code == 0, resumed.stderr
    yield releases
    sim.reset()


def show(releases: Releases, name: str) -> dict:
    return releases.bluegreen("runs", "show", releases.ids[name], "--json").json()


@pytest.mark.slow
def test_runs_list_shows_the_three_releases_newest_first(releases: Releases) -> None:
    rows = releases.bluegreen("runs", "list", "--json").json()
    assert [row["id"] for row in rows] == [
        releases.ids["resumed"], releases.ids["rolled_back"], releases.ids["succeeded"]
    ]  # fmt: skip
    assert [row["state"] for row in rows] == ["succeeded", "rolled_back", "succeeded"]
    assert [row["version_label"] for row in rows] == ["v1", "v3-broken", "v2"]
    assert [row["previous_version_label"] for row in rows] == ["v2", "v2", "v1"]
    assert all(row["app"] == "shop" and row["blue"] == "shop-blue" for row in rows)
    assert all(row["finished_at"] and row["duration_seconds"] > 0 for row in rows)


def test_runs_list_filters_by_state(releases: Releases) -> None:
    rows = releases.bluegreen("runs", "list", "--state", "rolled_back", "--json").json()
    assert [row["id"] for row in rows] == [releases.ids["rolled_back"]]


@pytest.mark.parametrize("name", ["succeeded", "rolled_back", "resumed"])
def test_step_durations_add_up_to_the_run_duration(releases: Releases, name: str) -> None:
    detail = show(releases, name)
    steps = detail["steps"]
    assert all(step["duration_seconds"] is not None for step in steps)
    assert sum(s["duration_seconds"] for s in steps) == pytest.approx(
        detail["duration_seconds"], abs=1e-3
    )
    assert steps[0]["started_at"] == detail["created_at"]
    assert steps[-1]["ended_at"] == detail["finished_at"]


def test_a_successful_release_shows_every_step_and_the_simulators_eb_events(
    releases: Releases,
) -> None:
    detail = show(releases, "succeeded")
    assert [s["state"] for s in detail["steps"]] == [
        "preflight", "cloning", "swapping", "deploying", "verifying", "cutting_over",
        "baking", "cleaning_up",
    ]  # fmt: skip
    assert detail["transitions"][0]["from"] is None
    assert detail["transitions"][-1]["to"] == "succeeded"
    eb = [e["message"] for e in detail["events"] if e["source"] == "eb"]
    assert "createEnvironment is starting." in eb
    assert any(m.startswith("Completed swapping CNAMEs") for m in eb)
    assert "terminateEnvironment is starting." in eb
    assert detail["facts"]["blue_env_id"] and detail["facts"]["green_env_id"]
    assert detail["facts"]["previous_version_label"] == "v1"
    assert detail["rollback"] is None


def test_a_rolled_back_release_shows_the_failed_probes_the_error_and_the_rollback(
    releases: Releases,
) -> None:
    detail = show(releases, "rolled_back")
    assert [t["to"] for t in detail["transitions"]][-2:] == ["rolling_back", "rolled_back"]
    probes = [e for e in detail["events"] if e["source"] == "probe"]
    assert probes and all(p["failed"] and p["data"]["status"] == 500 for p in probes)
    assert "health check failed" in detail["error"]
    assert detail["outcome"]["exit_code"] == 1
    assert detail["rollback"]["reason"]
    assert any(e["source"] == "eb" for e in detail["rollback"]["events"])


def test_runs_show_table_tells_the_story(releases: Releases) -> None:
    shown = releases.bluegreen("runs", "show", releases.ids["rolled_back"])
    assert shown.exit_code == 0, shown.stderr
    for text in ("Timeline", "verifying", "rolling_back", "(FAILED)", "Error:", "Rollback:"):
        assert text in shown.stdout


def test_status_showed_the_killed_run_and_who_held_it(releases: Releases) -> None:
    row = next(r for r in releases.status_while_killed if r["id"] == releases.ids["resumed"])
    assert row["state"] == "deploying"
    assert row["lease"]["owner"] and row["lease"]["status"] == "expired"
    assert f"bluegreen resume {releases.ids['resumed']}" in row["held_by"]


def test_the_resumed_run_records_the_operators_resume(releases: Releases) -> None:
    detail = show(releases, "resumed")
    assert [s["state"] for s in detail["steps"]][2:4] == ["swapping", "deploying"]
    assert any(e["source"] == "operator" for e in detail["events"])


def test_status_is_empty_once_every_run_finished(releases: Releases) -> None:
    assert releases.bluegreen("status", "--json").json() == []
    table = releases.bluegreen("status")
    assert "no unfinished runs" in table.stdout


def test_the_report_of_the_rolled_back_run_has_every_step(
    releases: Releases, tmp_path: Path
) -> None:
    output = tmp_path / "postmortem.html"
    done = releases.bluegreen("runs", "report", releases.ids["rolled_back"], "-o", str(output))
    assert done.exit_code == 0, done.stderr
    html = output.read_text(encoding="utf-8")
    for state in ("preflight", "cloning", "swapping", "deploying", "verifying", "rolling_back"):
        assert f'data-state="{state}"' in html
    assert "probe-failed" in html


def test_json_progress_lines_parse_one_object_per_line(releases: Releases) -> None:
    runs = [i for i in releases.invocations if "--log-format" in i.args and "json" in i.args]
    assert len(runs) == 3
    for invocation in runs:
        records = invocation.json_lines()
        assert all(isinstance(record, dict) for record in records)
        assert {"started", "transition", "event"} <= {r["type"] for r in records}
    finished = [r for r in runs[1].json_lines() if r["type"] == "finished"]
    assert finished[0]["outcome"] == "rolled_back" and finished[0]["exit_code"] == 1


def test_no_output_carries_the_secret_key_from_the_environment(releases: Releases) -> None:
    assert len(releases.invocations) > 10
    for invocation in releases.invocations:
        assert DUMMY_SECRET not in invocation.stdout + invocation.stderr, invocation.args


def test_the_resumed_run_keeps_each_eb_event_once(releases: Releases) -> None:
    events = show(releases, "resumed")["events"]
    eb = [(e["at"], e["message"], json.dumps(e["data"], sort_keys=True)) for e in events
          if e["source"] == "eb"]  # fmt: skip
    assert eb and len(eb) == len(set(eb))
