"""Hand-written fakes of the ports for unit tests; no I/O (see tests/fakes/beanstalk.py)."""

from __future__ import annotations

from tests.fakes.beanstalk import (
    ACCOUNT,
    REGION,
    Crash,
    FakeArtifactStore,
    FakeBeanstalk,
    FakeClock,
    FakeDurations,
    FakeEnvironment,
    FakeHealthProbe,
    FakeWaiter,
    FakeWorld,
    RecordingJournal,
    make_run,
)

__all__ = [
    "ACCOUNT",
    "REGION",
    "Crash",
    "FakeArtifactStore",
    "FakeBeanstalk",
    "FakeClock",
    "FakeDurations",
    "FakeEnvironment",
    "FakeHealthProbe",
    "FakeWaiter",
    "FakeWorld",
    "RecordingJournal",
    "make_run",
]
