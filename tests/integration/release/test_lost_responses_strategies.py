"""swap-and-keep and traffic-split releases while the simulator carries each of their mutating
calls out and then answers 503 (the response is lost, botocore may resend it): each release
still ends `succeeded` with every call carried out once and nothing left over."""

from __future__ import annotations

import pytest

from engine.domain.exit_codes import ExitCode
from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.integration.release.conftest import GREEN, WiredFactory

KEEP, SPLIT = "swap-and-keep", "traffic-split"
ONCE_EACH = {
    KEEP: {
        "CreateConfigurationTemplate": 1,
        "CreateEnvironment": 1,
        "SwapEnvironmentCNAMEs": 1,
        "UpdateEnvironment": 0,
        "TerminateEnvironment": 1,
        "DeleteConfigurationTemplate": 1,
    },
    SPLIT: {
        "CreateConfigurationTemplate": 0,
        "CreateEnvironment": 0,
        "SwapEnvironmentCNAMEs": 0,
        "UpdateEnvironment": 1,
        "TerminateEnvironment": 0,
        "DeleteConfigurationTemplate": 0,
    },
}
LOST = [(s, action) for s, calls in ONCE_EACH.items() for action, n in calls.items() if n]


def performed(
    sim: Simulator, strategy: str, before: dict[str, int] | None = None
) -> dict[str, int]:
    base = before or {}
    return {a: len(sim.calls.performed(a)) - base.get(a, 0) for a in ONCE_EACH[strategy]}


@pytest.mark.parametrize(("strategy", "action"), LOST, ids=[f"{s}-{a}" for s, a in LOST])
def test_a_release_whose_response_was_lost_succeeds_with_each_call_carried_out_once(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, strategy: str, action: str
) -> None:
    seeded = performed(sim, strategy)
    sim.faults.lose_response(action, 1)
    engine = wired(BLUEGREEN_STRATEGY=strategy, BLUEGREEN_CANARY_MINUTES=3)

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert engine.path(outcome)[-1] == "succeeded"
    assert performed(sim, strategy, seeded) == ONCE_EACH[strategy]
    assert sum(call.lost for call in sim.calls.performed(action)) == 1
    found = sim.client("elasticbeanstalk").describe_environments(
        ApplicationName=target.app, EnvironmentNames=[target.blue, GREEN]
    )["Environments"]
    live = {e["EnvironmentName"]: e for e in found if e["Status"] != "Terminated"}
    name = GREEN if strategy == KEEP else target.blue
    assert list(live) == [name]
    assert (live[name]["CNAME"], live[name]["VersionLabel"]) == (target.cname, "v2")
