"""What a new user meets in the first hour, through the CLI against the simulator: an alarm
already firing, the URL to try after `deploy`, progress wording."""

from __future__ import annotations

from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import Cli

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
