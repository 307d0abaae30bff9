"""`rollback --to-version`: a run of its own that starts in rolling_back, pointed at LABEL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.domain.errors import TargetBusyError
from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventSource, Mode, State
from engine.release.restore import RestoreRequest, restore_version
from engine.release.runner import NothingToDo, UsageError
from tests.unit.release.harness import Harness


def restore(h: Harness, label: str) -> RestoreRequest:
    return RestoreRequest(h.request.target, h.request.green, label)


def test_it_records_blue_and_the_version_to_go_back_to_then_rolls_back() -> None:
    h = Harness()
    h.runner().release(h.request, h.observer)  # scripted steps: blue still runs v1

    outcome = restore_version(h.runner(), restore(h, "v2"), h.observer)

    run = outcome.run
    assert outcome.exit_code == ExitCode.OK
    assert h.path(run) == [
        (None, "rolling_back", "start"),
        ("rolling_back", "rolled_back", "undone"),
    ]
    # Honest history: blue ran v1 when the operator asked, and the run put it on v2.
    assert (run.mode, run.facts.previous_version_label, run.version_label) == (
        Mode.RESTORE, "v1", "v2",
    )  # fmt: skip
    assert run.rollback_version == "v2"
    assert outcome.summary.startswith("rolled back as asked: shop/shop-blue serves v2")
    assert run.facts.blue_env_id == h.world.beanstalk.env("shop-blue").id
    assert run.facts.blue_cname == "shop-blue.us-east-1.eb.test"
    operator = [e.message for e in h.store.events(run.id) if e.source is EventSource.OPERATOR]
    assert operator == ["rollback to version v2 requested"]


def test_it_records_a_live_green_so_the_rollback_terminates_it() -> None:
    h = Harness()
    green = h.world.beanstalk.add_environment("shop", "shop-green", "v2")

    outcome = restore_version(h.runner(), restore(h, "v1"), h.observer)

    assert outcome.run.facts.green_env_id == green.id


def test_it_is_refused_while_a_run_holds_the_target() -> None:
    h = Harness()
    waiting = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer).run

    with pytest.raises(TargetBusyError, match=waiting.id):
        restore_version(h.runner(), restore(h, "v1"), h.observer)


def test_a_waiting_holder_is_named_with_cutover_and_rollback_not_resume() -> None:
    h = Harness()
    waiting = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer).run

    with pytest.raises(TargetBusyError) as busy:
        restore_version(h.runner(), restore(h, "v1"), h.observer)

    assert f"bluegreen rollback {waiting.id}" in str(busy.value)
    assert "resume" not in str(busy.value)


def test_a_version_that_does_not_exist_is_a_usage_error() -> None:
    h = Harness()

    with pytest.raises(UsageError, match="v9"):
        restore_version(h.runner(), restore(h, "v9"), h.observer)


def test_blue_already_on_the_version_with_no_green_is_nothing_to_do() -> None:
    h = Harness()

    with pytest.raises(NothingToDo):
        restore_version(h.runner(), restore(h, "v1"), h.observer)
    assert h.store.find_unfinished(h.request.target) is None


def test_the_restored_run_rolls_back_with_the_real_rollback_step() -> None:
    h = Harness(real_steps=True)
    h.world.probe.latency_seconds = 0.01
    h.runner().release(h.request, h.observer)

    outcome = restore_version(h.runner(), restore(h, "v1"), h.observer)

    assert outcome.run.state is State.ROLLED_BACK, outcome.summary
    assert h.world.beanstalk.env("shop-blue").version_label == "v1"


def _swap_by_hand(h: Harness, green_name: str) -> None:
    """What the replaced tool's `deploy` leaves: CNAMEs exchanged, green serving live."""
    blue, green = h.world.beanstalk.env("shop-blue"), h.world.beanstalk.env(green_name)
    blue.cname, green.cname = green.cname, blue.cname


def test_cnames_left_swapped_by_an_earlier_run_are_swapped_back() -> None:
    h = Harness(real_steps=True)
    h.world.probe.latency_seconds = 0.01
    h.runner().release(h.request, h.observer)  # records blue's own CNAME in the history
    h.world.beanstalk.add_environment("shop", "shop-green", "v1")
    _swap_by_hand(h, "shop-green")

    outcome = restore_version(h.runner(), restore(h, "v1"), h.observer)

    blue = h.world.beanstalk.env("shop-blue")
    assert outcome.run.state is State.ROLLED_BACK, outcome.summary
    assert blue.cname == "shop-blue.us-east-1.eb.test"
    assert blue.version_label == "v1"
    assert h.world.beanstalk.env("shop-green").status == "Terminated"


def test_without_history_eb_default_cnames_tell_that_they_were_swapped() -> None:
    h = Harness(real_steps=True)
    h.world.probe.latency_seconds = 0.01
    h.world.beanstalk.add_environment("shop", "shop-green", "v2")
    _swap_by_hand(h, "shop-green")

    outcome = restore_version(h.runner(), restore(h, "v1"), h.observer)

    assert outcome.run.facts.blue_cname == "shop-blue.us-east-1.eb.test"
    assert outcome.run.state is State.ROLLED_BACK, outcome.summary
    assert h.world.beanstalk.env("shop-blue").cname == "shop-blue.us-east-1.eb.test"
