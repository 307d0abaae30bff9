"""How long Elastic Beanstalk operations take: a documented prior, refined by what this
history has measured per application, environment and operation.

Durations are kept in AWS seconds; `time_scale` (1 in production, 1/speed against a faster
simulator) converts them to the clock the poller runs on.
"""

from __future__ import annotations

import statistics
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.domain.model import EventRecord, EventSource
from engine.domain.ports.cloud import Environment
from engine.domain.ports.store import RunHistory, RunQuery

# The prior, before the history has measured anything: the typical durations of a small
# load-balanced environment, the figures this project models AWS with (simulator/timing.py's
# Durations: launch 180 s, update 45 s, a CNAME swap 5 s, terminate 240 s). AWS itself
# documents only "about 5 minutes" for a first environment, its application included
# (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/GettingStarted.CreateApp.html), and
# "a few minutes" for deployments and terminations. The window opens a little before the
# typical time (dense polls from there, so an on-time end is seen within ~2 s) and stays dense
# well past it; an operation ending earlier than the window is seen at the window's first poll
# (one quiet pause late, at most 60 s), and the history learns its real duration from that run.
PRIOR_SECONDS = {"launch": 180.0, "update": 45.0, "swap": 5.0, "terminate": 240.0}
PRIOR_SPREAD = (0.97, 1.25)  # dense polling from 97 % to 125 % of the typical duration
SAMPLES_KEPT = 10
RUNS_READ = 10  # how many of an application's latest runs seed its expectations
LEARNED_MARGIN = 0.01  # of the median: the simulator and EB itself vary a little
# The engine event a finished wait leaves in the history; these are what is learned from.
WAITED_KEY = "waited"

# What EB is doing, by the status it reports while doing it (DescribeEnvironments' Status).
_STATUS_OPERATION = {"Launching": "launch", "Terminating": "terminate", "Updating": "update"}


def operation_of(environments: Sequence[Environment | None]) -> str | None:
    """The operation a wait's environments are in: launch, update, swap (two environments
    Updating together: a CNAME swap updates both; one Updating beside a Ready one is that
    one's update) or terminate; None when none is under way."""
    found = [_STATUS_OPERATION.get(env.status) for env in environments if env is not None]
    kinds = {kind for kind in found if kind is not None}
    if not kinds:
        return None
    if kinds == {"update"} and found.count("update") > 1:  # one Updating beside a Ready: update
        return "swap"
    return "terminate" if "terminate" in kinds else sorted(kinds)[0]


@dataclass(frozen=True)
class Window:
    """When an operation plausibly completes, in seconds after it started (poller's clock)."""

    low: float
    high: float
    learned: bool
    # The poller's seconds per AWS second (1 in production): low / scale is in AWS seconds.
    scale: float = 1.0
    # The likeliest end (the typical duration, or the learned median): a poll lands just after.
    expected: float | None = None


@dataclass(frozen=True)
class Sample:
    """One measured operation: where, what, and how long it took in AWS seconds."""

    application: str
    environments: tuple[str, ...]
    operation: str
    seconds: float


def sample_of(record: EventRecord) -> Sample | None:
    """The measurement a `waited` engine event carries, if it is one."""
    data = record.data
    if record.source is not EventSource.ENGINE or not isinstance(data.get(WAITED_KEY), str):
        return None
    try:
        envs = tuple(str(name) for name in data.get("environments", ()))
        return Sample(str(data["application"]), envs, data[WAITED_KEY], float(data["seconds"]))
    except (KeyError, TypeError, ValueError):
        return None


def recorded_samples(history: RunHistory, application: str) -> list[Sample]:
    """The measured waits of the application's latest runs and of the latest runs of any
    application (the fallback for an application new to this history), oldest first."""
    mine = history.list_runs(RunQuery(app=application, limit=RUNS_READ))
    anyone = history.list_runs(RunQuery(limit=RUNS_READ))
    runs = {run.id: run for run in [*mine, *anyone]}.values()
    ordered = sorted(runs, key=lambda run: run.created_at)
    found = [sample_of(record) for run in ordered for record in history.events(run.id)]
    return [sample for sample in found if sample is not None]


class Expectations:
    """Learned durations, most specific first: this environment, this application, any."""

    def __init__(self, time_scale: float = 1.0) -> None:
        self.time_scale = time_scale
        self._lock = threading.Lock()
        self._samples: dict[tuple[str, ...], deque[float]] = {}
        self._loaded: set[str] = set()

    def needs_history(self, application: str) -> bool:
        with self._lock:
            return application not in self._loaded

    def learn_history(self, application: str, samples: Iterable[Sample]) -> None:
        """Seed from the stored history once per application (oldest first)."""
        with self._lock:
            self._loaded.add(application)
        for sample in samples:
            self.learn(sample)

    def learn(self, sample: Sample) -> None:
        if sample.seconds <= 0:
            return
        keys = _keys(sample.application, sample.environments, sample.operation)
        with self._lock:
            for key in keys:
                self._samples.setdefault(key, deque(maxlen=SAMPLES_KEPT)).append(sample.seconds)

    def window(
        self, application: str, environments: Sequence[str], operation: str, fine: float
    ) -> Window:
        """When `operation` should finish, on the poller's clock; `fine` is its resolution."""
        with self._lock:
            found = next(
                (list(self._samples[k]) for k in _keys(application, environments, operation)
                 if k in self._samples),
                None,
            )  # fmt: skip
        scale = self.time_scale
        if not found:
            prior = PRIOR_SECONDS.get(operation, 60.0) * scale
            low, high = prior * PRIOR_SPREAD[0], prior * PRIOR_SPREAD[1]
            return Window(low, high, False, scale, prior)
        low, high = min(found) * scale, max(found) * scale
        median = statistics.median(found) * scale
        margin = max(fine, median * LEARNED_MARGIN)
        return Window(max(low - margin, 0.0), high + margin, True, scale, median)


def _keys(application: str, environments: Sequence[str], operation: str) -> list[tuple[str, ...]]:
    envs = "|".join(sorted(environments))
    return [
        ("env", application, envs, operation),
        ("app", application, operation),
        ("any", operation),
    ]
