"""`submit`: a queued run for the workers, recorded at once; the same refusals as `full`;
a queued run is started (queued -> preflight) by whoever drives it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.domain.errors import TargetBusyError
from engine.domain.model import State, Trigger
from engine.release.requests import LockPolicy, OnUnfinished
from engine.release.runner import NothingToDo
from tests.unit.release.harness import Harness


@pytest.fixture
def h() -> Harness:
    return Harness()


def test_a_submitted_run_is_queued_unleased_and_nothing_is_driven(h: Harness) -> None:
    run = h.runner().submit(h.request)

    stored = h.store.get(run.id)
    assert stored.state is State.QUEUED
    assert stored.lease_owner is None
    assert h.actions.calls == []
    assert h.store.find_unfinished(h.request.target) == stored


def test_a_second_submit_for_the_same_target_is_refused_as_busy(h: Harness) -> None:
    first = h.runner().submit(h.request)

    with pytest.raises(TargetBusyError, match=first.id):
        h.runner("host:2:bbbbbb").submit(h.request)


def test_with_on_unfinished_resume_a_second_submit_returns_the_run_under_way(h: Harness) -> None:
    first = h.runner().submit(h.request)

    again = h.runner("host:2:bbbbbb").submit(h.request, LockPolicy(OnUnfinished.RESUME))

    assert again.id == first.id


def test_submitting_the_version_blue_already_runs_queues_nothing(h: Harness) -> None:
    with pytest.raises(NothingToDo, match="already runs v1"):
        h.runner().submit(replace(h.request, version_label="v1"))
    assert h.store.find_unfinished(h.request.target) is None


def test_resuming_a_queued_run_starts_it_at_preflight(h: Harness) -> None:
    run = h.runner().submit(h.request)
    services = h.services()
    actions = {**services.actions, State.QUEUED: lambda ctx: Trigger.START}
    runner = type(h.runner())(replace(services, actions=actions))

    outcome = runner.resume(run.id, h.observer)

    assert outcome.run.state is State.SUCCEEDED
    assert [step for _, step, _ in h.path(run)][:3] == ["queued", "preflight", "cloning"]
