"""The runner driving the real step actions against the fake cloud (no I/O)."""

from __future__ import annotations

from engine.domain.exit_codes import ExitCode
from engine.domain.model import State
from tests.unit.release.harness import Harness


def harness() -> Harness:
    h = Harness(real_steps=True)
    h.world.probe.latency_seconds = 0.01
    return h


def test_a_release_on_the_fake_cloud_leaves_blue_on_the_new_version_and_no_green() -> None:
    h = harness()

    outcome = h.runner().release(h.request, h.observer)

    beanstalk = h.world.beanstalk
    assert outcome.exit_code == ExitCode.OK, outcome.summary
    blue = beanstalk.env("shop-blue")
    assert blue.version_label == "v2" and blue.cname == "shop-blue.us-east-1.eb.test"
    assert [e.name for e in beanstalk.live()] == ["shop-blue"]
    assert beanstalk.templates == {}


def test_a_version_that_answers_500_is_rolled_back_on_the_fake_cloud() -> None:
    h = harness()
    h.world.probe.version_answers["v2"] = 500

    outcome = h.runner().release(h.request, h.observer)

    beanstalk = h.world.beanstalk
    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert outcome.run.state is State.ROLLED_BACK
    blue = beanstalk.env("shop-blue")
    assert blue.version_label == "v1" and blue.cname == "shop-blue.us-east-1.eb.test"
    assert [e.name for e in beanstalk.live()] == ["shop-blue"]
