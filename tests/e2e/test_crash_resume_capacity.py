"""The crash test at the warm-up's undoing (issue 19): `bluegreen full` on a blue autoscaled to
two instances by a load (the cutover pins blue's MinSize at green's two), SIGKILLed right
before and right after the cleanup's UpdateEnvironment that restores blue's sizes to the saved
configuration's, and right after the template's delete that follows; `bluegreen resume` then
ends as an uninterrupted run does, with blue's sizes restored by exactly one call, blue Ready,
and no failed live request (the scenarios of tests/e2e/test_crash_resume.py, on their own).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from simulator import Simulator
from tests.e2e import test_crash_resume as crash
from tests.e2e.test_crash_resume import LOADED, Scenario, run_scenario

pytestmark = pytest.mark.slow  # about 40 s: three SIGKILL scenarios, each with a load
# The cleanup's mutating calls here: green's TerminateEnvironment, blue's sizes restored
# (UpdateEnvironment), the template's DeleteConfigurationTemplate.
POINTS = [
    f"cleaning_up:before-call:2{LOADED}",  # the restore's intent recorded, the call not sent
    f"cleaning_up:after-call:2{LOADED}",  # the restore sent, blue Updating, nothing committed
    f"cleaning_up:after-call:3{LOADED}",  # restored, the template deleted, nothing committed
]
FIRST_APP = 100  # apps crash100...: clear of test_crash_resume.py's


@pytest.fixture(scope="module")
def scenarios(
    running_simulator: Simulator,
    tmp_path_factory: pytest.TempPathFactory,
    shared_history_url: str | None,
) -> Iterator[dict[str, Scenario]]:
    sim = running_simulator
    sim.reset()
    home = tmp_path_factory.mktemp("crash-capacity")
    with ThreadPoolExecutor(len(POINTS)) as pool:
        futures = [
            pool.submit(run_scenario, sim, home, shared_history_url, FIRST_APP + i, point, "v2")
            for i, point in enumerate(POINTS)
        ]
        done = [future.result() for future in futures]
    yield {scenario.point: scenario for scenario in done}
    sim.reset()


@pytest.mark.parametrize("point", POINTS)
def test_a_cleanup_killed_around_the_restore_of_blues_sizes_is_resumed_to_the_release_end(
    scenarios: dict[str, Scenario], point: str
) -> None:
    # succeeded, blue on v2 at its CNAME, one green ever created and terminated, two swaps
    crash.test_a_run_killed_there_is_resumed_to_the_end_state_of_an_uninterrupted_run(
        scenarios, point, "v2"
    )
    assert scenarios[point].failed_requests == []
    assert scenarios[point].resumed.run_id == scenarios[point].killed.run_id


@pytest.mark.parametrize("point", POINTS)
def test_blues_sizes_are_restored_by_one_call_and_blue_ends_ready(
    scenarios: dict[str, Scenario], point: str
) -> None:
    scenario = scenarios[point]
    # The cutover's raise of blue's MinSize to green's two, then one restore to the saved
    # configuration's (MinSize 1, MaxSize 4): not sent again by the resume when the killed
    # run had sent it, sent by the resume when the killed run had not.
    assert scenario.blue_size_updates == [("2", None), ("1", None)]
    assert scenario.blue_sizes == ("1", "4")
    assert scenario.world.blue["Status"] == "Ready"
