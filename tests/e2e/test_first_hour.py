"""What a new user meets in the first hour, through the CLI against the simulator: an alarm
already firing, the URL to try after `deploy`, progress wording."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import Cli, command_line

ALARM = "shop-5xx"


def firing_alarm(sim: Simulator) -> None:
    cloudwatch = sim.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=ALARM, MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB",
        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )  # fmt: skip
    cloudwatch.set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="5xx above 1")


def test_an_alarm_already_in_alarm_is_refused_before_anything_is_created(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    firing_alarm(sim)
    sim.calls.clear()

    done = cli.run("full", "--alarm", ALARM, **cli.replaced_tool_env("v2"))

    assert done.exit_code == 2, done
    assert "alarm in ALARM before the release started: shop-5xx: 5xx above 1" in done.stdout
    assert cli.states(done.run_id) == ["preflight", "refused"]
    assert sim.calls.mutating() == [], "no green launched, no template saved"


def test_deploy_prints_where_the_new_version_can_be_tried_before_the_cutover(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("deploy", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    found = re.search(r"try the new version at (http://\S+?)[;,]? ", done.stdout)
    assert found, done
    assert sim.get(found[1]) == (200, "version v2"), "blue answers there, on the new version"
    assert sim.get(f"http://{target.cname}/") == (200, "version v1"), "live is still green"


@pytest.mark.slow
def test_progress_lines_say_whether_a_wait_was_late_in_one_unit_and_name_a_host_once(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    waits = [line for line in done.stdout.splitlines() if " took " in line]
    assert waits and all("expected (" in line and "x speed)" in line for line in waits), waits
    probes = [line for line in done.stdout.splitlines() if " probe http" in line]
    assert probes, done
    for line in probes:
        host = line.split("probe http://")[1].split("/")[0]
        assert line.lower().count(host.lower()) == 1, line


def test_demo_without_the_simulator_extra_is_one_line_with_an_install_hint(
    tmp_path: Path,
) -> None:
    # A `moto` that cannot be imported, first on the path: as if the extra were not installed.
    (tmp_path / "moto").mkdir()
    (tmp_path / "moto" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'moto'\", name='moto')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    for args in (["demo"], ["simulator", "serve"]):
        done = subprocess.run(
            command_line(*args), env=env, capture_output=True, text=True, timeout=60, check=False
        )

        assert done.returncode == 2, done
        assert done.stderr.strip().splitlines() == [
            f"bluegreen: `bluegreen {args[0]}` needs the simulator extra (moto is not "
            "installed): in the checkout, pip install '.[simulator]' (or `make demo`)"
        ], done.stderr
