"""A lease whose owner process is gone from this machine is taken over at once; any other
owner (another host, another PID namespace or boot, an id of an older format, a live process)
is waited for until its lease expires."""

from __future__ import annotations

import os
import socket

import pytest

from engine.domain.errors import TargetBusyError
from engine.domain.model import EventSource
from engine.release.leases import new_owner_id
from engine.release.owners import is_alive, owner_is_gone, parse_owner, process_place
from tests.unit.release.harness import Harness

NO_SUCH_PID = 2**30  # beyond any pid_max: no such process


def here(pid: int) -> str:
    """An owner id of a runner on this machine with process id `pid`."""
    return f"{socket.gethostname()}:{pid}:abcdef:{process_place()}"


def test_an_owner_id_names_host_pid_and_place() -> None:
    parsed = parse_owner(new_owner_id())

    assert parsed is not None
    assert (parsed.host, parsed.pid, parsed.place) == (
        socket.gethostname(), os.getpid(), process_place(),
    )  # fmt: skip


def test_an_owner_whose_process_is_gone_from_this_machine_is_gone() -> None:
    assert owner_is_gone(here(NO_SUCH_PID))


@pytest.mark.parametrize(
    "owner",
    [
        f"elsewhere:{NO_SUCH_PID}:abcdef:{process_place()}",  # another host
        f"{socket.gethostname()}:{NO_SUCH_PID}:abcdef:0badf00d",  # another boot or namespace
        f"{socket.gethostname()}:{NO_SUCH_PID}:abcdef",  # no place: an older owner id
        None,  # this very process (its id is built in the test: collection must not vary)
        "not an owner id",
    ],
)
def test_other_owners_are_presumed_alive(owner: str | None) -> None:
    owner = owner or here(os.getpid())
    assert not owner_is_gone(owner)


def test_a_live_process_is_alive_and_a_missing_one_is_not() -> None:
    assert is_alive(os.getpid())
    assert not is_alive(NO_SUCH_PID)


def test_resume_takes_over_at_once_a_run_whose_runner_died_on_this_host() -> None:
    h = Harness()
    run = h.request.new_run(h.world.clock.now())
    h.store.create(run, here(NO_SUCH_PID), lease_seconds=600)

    outcome = h.runner().resume(run.id, h.observer)

    assert outcome.run.state.is_final, outcome.summary
    messages = [e.message for e in h.store.events(run.id) if e.source is EventSource.ENGINE]
    assert any("no longer exists on this host" in m for m in messages)


def test_resume_waits_for_the_lease_of_a_runner_on_another_host() -> None:
    h = Harness()
    run = h.request.new_run(h.world.clock.now())
    h.store.create(run, f"elsewhere:{NO_SUCH_PID}:abcdef:{process_place()}", lease_seconds=600)

    with pytest.raises(TargetBusyError, match=f"leased to process {NO_SUCH_PID} on elsewhere"):
        h.runner().resume(run.id, h.observer)


def test_a_new_release_refused_by_a_dead_runners_run_says_resume_takes_it_over_at_once() -> None:
    h = Harness()
    run = h.request.new_run(h.world.clock.now())
    h.store.create(run, here(NO_SUCH_PID), lease_seconds=600)

    with pytest.raises(TargetBusyError, match="takes the run over at once"):
        h.runner().release(h.request, h.observer)
