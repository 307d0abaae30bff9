"""The timed cutover gate's deadline and expiry, and the drive's hook runner: fenced, told of
a stop, its output tail redacted and escaped before anything stores it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain.errors import LeaseLostError
from engine.domain.model import State
from engine.domain.ports.hooks import HookResult
from engine.release.fence import Fence, LeaseTerm
from engine.release.gate import gate_expired, with_gate_deadline
from engine.release.hook_commands import GuardedHookRunner
from engine.release.interrupt import Interrupt, Interrupted
from tests.fakes import FakeClock, make_run
from tests.fakes.hooks import FakeHookRunner
from tests.fakes.store import InMemoryRunStore


def test_entering_the_gate_with_a_timeout_sets_its_deadline_and_it_expires_then() -> None:
    clock = FakeClock()
    run = make_run()
    run.guards = replace(run.guards, cutover_timeout_seconds=60.0)
    run.state = State.AWAITING_CUTOVER

    with_gate_deadline(run, clock.now())

    assert run.facts.gate_deadline == clock.now() + timedelta(seconds=60)
    assert not gate_expired(run, clock.now() + timedelta(seconds=59))
    assert gate_expired(run, clock.now() + timedelta(seconds=60))
    run.state = State.VERIFYING  # cut over meanwhile: no gate any more
    assert not gate_expired(run, clock.now() + timedelta(days=1))


def test_without_a_timeout_the_gate_has_no_deadline() -> None:
    run = make_run()
    run.state = State.AWAITING_CUTOVER

    with_gate_deadline(run, FakeClock().now())

    assert run.facts.gate_deadline is None and not gate_expired(run, FakeClock().now())


def guarded(
    inner: FakeHookRunner, interrupt: Interrupt | None = None, holder: str = "me"
) -> GuardedHookRunner:
    clock = FakeClock()
    store = InMemoryRunStore(clock.now)
    run = make_run()
    store.create(run, holder, 10.0)
    fence = Fence(store, run.id, "me", 10.0, LeaseTerm(clock, 10.0))
    return GuardedHookRunner(inner, fence, interrupt or Interrupt())


def test_the_output_tail_is_redacted_and_escaped_before_it_is_returned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DB_PASSWORD", "correct-horse-battery")
    key = "AKIA" + "ABCDEFGHIJKLMNOP"
    tail = (f"key {key}", "pw correct-horse-battery", "token=abc123def", "\x1b[31mred", "hook-only")
    inner = FakeHookRunner({"h": HookResult(0, 0.1, tail)})

    result = guarded(inner).run(["h"], {"API_TOKEN": "hook-only"}, 5)

    joined = "\n".join(result.output_tail)
    assert key not in joined and "correct-horse-battery" not in joined
    assert "abc123def" not in joined and "hook-only" not in joined
    assert "\x1b" not in joined and "\\x1b[31mred" in joined


def test_a_hook_stopped_by_the_runners_stop_raises_interrupted() -> None:
    interrupt = Interrupt()
    interrupt.request("interrupted by SIGTERM")
    inner = FakeHookRunner({"h": HookResult(None, 1.0, stopped=True)})

    with pytest.raises(Interrupted):
        guarded(inner, interrupt).run(["h"], {}, 5)


def test_a_runner_that_lost_its_lease_runs_no_hook() -> None:
    inner = FakeHookRunner()
    runner = guarded(inner, holder="someone-else")

    with pytest.raises(LeaseLostError):
        runner.run(["h"], {}, 5)
    assert inner.calls == []
