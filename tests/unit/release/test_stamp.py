"""Runs are stamped with the engine version and revision that created them; a run of a revision
this engine does not know is refused (exit 2, one line naming the version that can finish it),
and nothing about it changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.release.stamp import (
    ENGINE_REVISION,
    IncompatibleRunError,
    engine_version,
    require_compatible,
)
from tests.unit.release.harness import Harness


def test_a_new_run_is_stamped_with_this_engines_version_and_revision() -> None:
    h = Harness()

    run = h.runner().release(h.request, h.observer).run

    stored = h.store.get(run.id)
    assert (stored.engine_version, stored.engine_revision) == (engine_version(), ENGINE_REVISION)
    assert engine_version() != "unknown"


def test_a_run_of_an_unknown_revision_is_refused_naming_the_version_that_can_finish_it() -> None:
    h = Harness()
    run = replace(h.request.new_run(h.world.clock.now()), engine_version="9.1.0",
                  engine_revision=ENGINE_REVISION + 1)  # fmt: skip
    h.store.create(run, "host:9:dead00", lease_seconds=0)

    with pytest.raises(IncompatibleRunError) as refused:
        h.runner().resume(run.id, h.observer)

    message = str(refused.value)
    assert "\n" not in message
    assert "bluegreen 9.1.0" in message and f"revision {ENGINE_REVISION + 1}" in message
    after = h.store.get(run.id)
    assert (after.state, after.lease_owner) == (run.state, "host:9:dead00")
    assert h.store.transitions(run.id)[-1].to_state is run.state


def test_a_run_written_before_runs_were_stamped_is_driven_as_revision_1() -> None:
    h = Harness()
    run = replace(h.request.new_run(h.world.clock.now()), engine_version=None,
                  engine_revision=None)  # fmt: skip

    require_compatible(run)  # no error
