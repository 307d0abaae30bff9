"""Lifecycle hooks as a user gives them (`--hook POINT=COMMAND`), against the simulator: a
failing before-swap hook rolls back with the live path untouched, a hook's output tail is in
`runs show` (redacted), an on-rollback failure never blocks the rollback, a hook killed with
its runner runs again on resume, and bad hook input is refused before anything is opened."""

from __future__ import annotations

import json
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import APP, BLUE, GREEN, Cli
from tests.integration.release.world import assert_blue_serves, assert_clean, production

SECRET = "hunter2-database-password"  # in the runner's environment; a hook prints it
HOOK = """
import json, os, signal, sys, time
log, point, action = sys.argv[1], sys.argv[2], sys.argv[3:]
facts = {k: v for k, v in os.environ.items() if k.startswith("BLUEGREEN_") and k not in (
    "BLUEGREEN_DATABASE_URL", "BLUEGREEN_LOG_FORMAT")}
with open(log, "a") as out:
    out.write(json.dumps({"point": point, "facts": facts}) + "\\n")
for n in range(30):
    print(f"{point} line {n}")
print("db password is " + os.environ.get("DB_PASSWORD", ""), flush=True)
if action[:1] == ["kill-runner-once"]:
    if not os.path.exists(action[1]):
        open(action[1], "w").close()
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(0.5)
if action[:1] == ["sleep"]:
    time.sleep(float(action[1]))
sys.exit(int(action[1]) if action[:1] == ["exit"] else 0)
"""


@pytest.fixture
def hook_script(tmp_path: Path) -> Path:
    path = tmp_path / "hook.py"
    path.write_text(HOOK)
    return path


def hook(script: Path, log: Path, point: str, *action: str) -> str:
    words = [sys.executable, str(script), str(log), point, *action]
    return f"{point}={shlex.join(words)}"


def calls(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def release(cli: Cli, version: str, *hooks: str, **env: str) -> Any:
    args = [arg for text in hooks for arg in ("--hook", text)]
    return cli.run("full", *args, DB_PASSWORD=SECRET, **cli.replaced_tool_env(version), **env)


def swaps_of(sim: Simulator, target: ReleaseTarget) -> int:
    return sum(
        target.blue_id in (c.params.get("SourceEnvironmentId"),
                           c.params.get("DestinationEnvironmentId"))
        for c in sim.calls.performed("SwapEnvironmentCNAMEs")
    )  # fmt: skip


def hook_events(cli: Cli, run_id: str) -> list[dict[str, Any]]:
    shown = cli.run("runs", "show", run_id, "--json")
    assert shown.exit_code == 0, shown
    return [e for e in json.loads(shown.stdout)["events"] if "hook" in e["data"]]


@pytest.mark.slow
def test_a_failing_before_swap_hook_rolls_back_with_nothing_changed_in_the_live_path(
    sim: Simulator, target: ReleaseTarget, cli: Cli, hook_script: Path, tmp_path: Path
) -> None:
    log = tmp_path / "hooks.log"
    done = release(cli, "v2", hook(hook_script, log, "before-swap", "exit", "3"))

    assert done.exit_code == 1, done
    assert cli.states(done.run_id)[-2:] == ["rolling_back", "rolled_back"]
    assert "swapping" in cli.states(done.run_id)
    assert swaps_of(sim, target) == 0, "the CNAMEs never moved"
    world = production(sim, APP, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)
    assert [c["point"] for c in calls(log)] == ["before-swap"]
    shown = cli.run("runs", "show", done.run_id, COLUMNS="250")
    assert "hook before-swap 1/1 failed (exit 3)" in shown.stdout, shown
    assert "before-swap line 29" in shown.stdout and "before-swap line 5" not in shown.stdout
    assert SECRET not in shown.stdout
    store = cli.store()
    try:
        stored = json.dumps(
            [e.data for e in store.events(done.run_id)]
            + [e.message for e in store.events(done.run_id)]
        )
    finally:
        store.close()
    assert "line 29" in stored and SECRET not in stored, "redacted before it was stored"


@pytest.mark.slow
def test_hooks_run_at_each_point_with_the_runs_facts_and_their_tails_in_runs_show(
    sim: Simulator, target: ReleaseTarget, cli: Cli, hook_script: Path, tmp_path: Path
) -> None:
    log = tmp_path / "hooks.log"
    points = ("before-swap", "after-verify", "before-cleanup", "on-rollback")
    done = release(cli, "v2", *(hook(hook_script, log, p) for p in points))

    assert done.exit_code == 0, done
    assert_blue_serves(production(sim, APP, BLUE, GREEN, target.cname), "v2", target.cname)
    ran = calls(log)
    assert [c["point"] for c in ran] == ["before-swap", "after-verify", "before-cleanup"]
    facts = ran[1]["facts"]
    assert facts["BLUEGREEN_RUN_ID"] == done.run_id
    assert facts["BLUEGREEN_HOOK_POINT"] == "after-verify"
    assert (facts["BLUEGREEN_APP"], facts["BLUEGREEN_BLUE"], facts["BLUEGREEN_GREEN"]) == (
        APP, BLUE, GREEN)  # fmt: skip
    assert facts["BLUEGREEN_VERSION_LABEL"] == "v2"
    assert facts["BLUEGREEN_PREVIOUS_VERSION_LABEL"] == "v1"
    assert facts["BLUEGREEN_LIVE_CNAME"] == target.cname
    assert facts["BLUEGREEN_REGION"] == sim.region
    assert facts["BLUEGREEN_ENDPOINT_URL"].startswith("http://")
    assert target.cname not in facts["BLUEGREEN_ENDPOINT_URL"], "blue's own load balancer"
    assert all(not name.startswith("BLUEGREEN_AWS") for name in facts)
    events = hook_events(cli, done.run_id)
    ended = [e for e in events if "exit_code" in e["data"]]
    assert [(e["data"]["hook"], e["data"]["exit_code"]) for e in ended] == [
        ("before-swap", 0), ("after-verify", 0), ("before-cleanup", 0)]  # fmt: skip
    assert all(len(e["data"]["output_tail"]) == 20 for e in ended)
    assert all(e["data"]["duration_seconds"] >= 0 for e in ended)
    shown = cli.run("runs", "show", done.run_id, COLUMNS="250")
    assert "| after-verify line 29" in shown.stdout, shown


@pytest.mark.slow
def test_an_on_rollback_hook_that_fails_is_recorded_and_the_rollback_completes(
    sim: Simulator, target: ReleaseTarget, cli: Cli, hook_script: Path, tmp_path: Path
) -> None:
    log = tmp_path / "hooks.log"
    done = release(cli, "broken", hook(hook_script, log, "on-rollback", "exit", "7"))

    assert done.exit_code == 1, done
    assert cli.states(done.run_id)[-1] == "rolled_back"
    world = production(sim, APP, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)
    assert [c["point"] for c in calls(log)] == ["on-rollback"], "once per rollback"
    (failed,) = [e for e in hook_events(cli, done.run_id) if "exit_code" in e["data"]]
    assert failed["data"]["exit_code"] == 7 and failed["failed"] is True


@pytest.mark.slow
def test_a_hook_over_its_time_limit_is_killed_and_fails_its_step(
    sim: Simulator, target: ReleaseTarget, cli: Cli, hook_script: Path, tmp_path: Path
) -> None:
    log = tmp_path / "hooks.log"
    text = hook(hook_script, log, "before-swap", "sleep", "60")
    done = release(cli, "v2", text, BLUEGREEN_HOOK_TIMEOUT="1")

    assert done.exit_code == 1, done
    assert swaps_of(sim, target) == 0
    (ended,) = [e for e in hook_events(cli, done.run_id) if "exit_code" in e["data"]]
    assert ended["data"]["timed_out"] is True and ended["data"]["exit_code"] is None
    assert ended["data"]["duration_seconds"] < 30


@pytest.mark.slow
def test_a_hook_killed_with_its_runner_runs_again_on_resume(
    sim: Simulator, target: ReleaseTarget, cli: Cli, hook_script: Path, tmp_path: Path
) -> None:
    log, marker = tmp_path / "hooks.log", tmp_path / "killed-once"
    text = hook(hook_script, log, "before-swap", "kill-runner-once", str(marker))
    killed = release(cli, "v2", text, BLUEGREEN_LEASE_SECONDS="3")
    assert killed.exit_code == -signal.SIGKILL, killed
    assert swaps_of(sim, target) == 0

    resumed = cli.run("resume", killed.run_id, DB_PASSWORD=SECRET)

    assert resumed.exit_code == 0, resumed
    assert [c["point"] for c in calls(log)] == ["before-swap", "before-swap"]
    assert swaps_of(sim, target) == 2, "one swap each way"
    assert_blue_serves(production(sim, APP, BLUE, GREEN, target.cname), "v2", target.cname)
    events = hook_events(cli, killed.run_id)
    assert sum("started" in e["message"] for e in events) == 2
    assert sum(e["data"].get("exit_code") == 0 for e in events) == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--hook", "before-deploy=./x"), "unknown hook point 'before-deploy'"),
        (("--hook", "before-swap="), "the command is empty"),
        (("--hook", "before-swap"), "expected POINT=COMMAND"),
        (("--hook", "before-swap=./x 'unclosed"), "cannot split the command"),
        (("--hook", "after-verify=curl -H token=abcdef123456"), "holds a secret"),
        (("--hook-timeout", "0"), "--hook-timeout"),
        (("--hook-timeout", "inf"), "--hook-timeout"),
        (("--cutover-timeout", "1e300"), "--cutover-timeout"),
    ],
)
def test_bad_hook_and_gate_input_exits_2_in_one_line_with_nothing_touched(
    sim: Simulator, cli: Cli, args: tuple[str, ...], says: str
) -> None:
    before = len(sim.calls.performed("CreateConfigurationTemplate"))
    done = cli.run("full", *args, **cli.replaced_tool_env("v2"))

    assert done.exit_code == 2, done
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done
    assert cli.history_is_empty()
    assert len(sim.calls.performed("CreateConfigurationTemplate")) == before


@pytest.mark.slow
def test_hooks_from_the_bluegreen_hooks_variable_as_a_json_array(
    sim: Simulator, target: ReleaseTarget, cli: Cli, hook_script: Path, tmp_path: Path
) -> None:
    log = tmp_path / "hooks.log"
    texts = [hook(hook_script, log, "before-swap"), hook(hook_script, log, "before-cleanup")]
    done = release(cli, "v2", BLUEGREEN_HOOKS=json.dumps(texts))

    assert done.exit_code == 0, done
    assert [c["point"] for c in calls(log)] == ["before-swap", "before-cleanup"]


def test_the_html_report_draws_each_hooks_exit_code_duration_and_output_tail_as_text(
    sim: Simulator, target: ReleaseTarget, cli: Cli, tmp_path: Path
) -> None:
    printer = "import sys; print('<script>alert(1)</script> & <b>bold</b>'); sys.exit(0)"
    command = shlex.join([sys.executable, "-c", printer])
    done = release(cli, "v2", f"after-verify={command}")
    assert done.exit_code == 0, done
    output = tmp_path / "report.html"

    reported = cli.run("runs", "report", done.run_id, "-o", str(output))

    assert reported.exit_code == 0, reported
    page = output.read_text(encoding="utf-8")
    assert "<script" not in page and "<b>bold</b>" not in page, "the hook's output is text"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<div class='hook' data-hook='after-verify'>hook after-verify, exit 0, " in page
