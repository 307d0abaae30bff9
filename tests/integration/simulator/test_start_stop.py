"""Starting and stopping the simulator leaves no server thread or listening port behind."""

from __future__ import annotations

import socket
import threading

import pytest

from simulator import Simulator
from simulator.seed import seed_release_target


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def test_stop_ends_every_thread_it_started_including_app_servers() -> None:
    before = _threads()
    with Simulator(speed=200) as sim:
        target = seed_release_target(sim, versions={"v1": {}})
        assert sim.get(f"http://{target.cname}/") == (200, "version v1")
        assert _threads() - before
    assert _threads() - before == set()


def test_a_start_that_cannot_take_its_router_port_leaves_no_server_running() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        before = _threads()
        with pytest.raises(OSError):
            Simulator(router_port=taken.getsockname()[1]).start()
    assert _threads() - before == set()
