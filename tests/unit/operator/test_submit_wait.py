"""`submit --wait` with no worker to take the run says so, once, instead of waiting silently."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import State
from engine.operator.fleet_commands import follow_run
from engine.release.observer import NullObserver
from tests.fakes.store import InMemoryRunStore
from tests.unit.operator.releases import new_run


class StopAfter:
    """An interrupt whose waits return at once, the `times`-th reporting a stop."""

    def __init__(self, times: int) -> None:
        self.left = times

    def wait(self, seconds: float) -> bool:
        self.left -= 1
        return self.left <= 0


def test_a_run_nobody_takes_is_reported_once_with_the_command_to_start_a_worker(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = InMemoryRunStore()
    run = replace(new_run("5eed0000aaaa").run, state=State.QUEUED, lease_owner=None)
    store.create(run, "submitter", 60)
    runner: Any = SimpleNamespace(services=SimpleNamespace(store=store, interrupt=StopAfter(3)))

    outcome = follow_run(runner, run, NullObserver(), notice_after=0)

    assert outcome.exit_code == ExitCode.INTERRUPTED
    notices = [line for line in capsys.readouterr().err.splitlines() if "still queued" in line]
    assert len(notices) == 1, "said once, not at every poll"
    assert "no worker has taken it" in notices[0]
    assert "`bluegreen worker --region us-east-1`" in notices[0]
