"""The metrics themselves, in a registry of their own: what a release reports as it runs
(step durations, detection lag, AWS errors, leases) and what is read at scrape time from the
history (runs by state and outcome, queue depth) and from the EB client (calls)."""

from __future__ import annotations

import re
from collections import Counter as Counts
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from engine.domain.model import State

# Seconds, from a sub-second simulator step to a slow EB launch (AWS: 3-15 minutes).
STEP_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, float("inf"))
LAG_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, float("inf"))
AWS_ATTEMPT = re.compile(r"^AWS (\w+) attempt \d+")
THROTTLED = re.compile(r"throttl|rate exceeded|too many requests", re.I)

Snapshot = Callable[[], Iterable[State]]


def outcome_label(state: State) -> str:
    return state.value if state.is_final else "in_progress"


class MetricsBook:
    """Every metric of one process (or of one history, for the textfile)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.step_seconds = Histogram("bluegreen_step_duration_seconds",
            "Time a release spent in each state", ["state"],
            buckets=STEP_BUCKETS, registry=r)  # fmt: skip
        self.release_seconds = Histogram("bluegreen_release_duration_seconds",
            "A drive of a run, start to end, by how it ended", ["outcome"],
            buckets=STEP_BUCKETS, registry=r)  # fmt: skip
        self.detection_lag = Histogram("bluegreen_poller_detection_lag_seconds",
            "From EB finishing an operation to the poll that saw it", ["operation"],
            buckets=LAG_BUCKETS, registry=r)  # fmt: skip
        self.aws_errors = Counter("bluegreen_aws_errors",
            "Failed AWS attempts botocore saw (it may have retried them)",
            ["operation", "kind"], registry=r)  # fmt: skip
        self.lease_renewals = Counter("bluegreen_lease_renewals", "Lease renewals", registry=r)
        self.lease_takeovers = Counter("bluegreen_lease_takeovers",
            "Runs taken over from a runner that went away", registry=r)  # fmt: skip

    def aws_error(self, message: str) -> None:
        """An `AWS <Operation> attempt N failed: ...` event."""
        match = AWS_ATTEMPT.match(message)
        if match:
            kind = "throttled" if THROTTLED.search(message) else "error"
            self.aws_errors.labels(match[1], kind).inc()

    def watch_runs(self, states: Snapshot) -> None:
        self.registry.register(_RunsCollector(states))

    def watch_queue(self, depth: Callable[[], int]) -> None:
        self.registry.register(_QueueCollector(depth))

    def watch_calls(self, calls: Callable[[], Counts[str]]) -> None:
        self.registry.register(_CallsCollector(calls))


class _RunsCollector(Collector):
    def __init__(self, states: Snapshot) -> None:
        self._states = states

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("bluegreen_runs", "Runs in the history by state and outcome",
                                   labels=["state", "outcome"])  # fmt: skip
        for state, count in sorted(Counts(self._states()).items()):
            family.add_metric([state.value, outcome_label(state)], count)
        yield family


class _QueueCollector(Collector):
    def __init__(self, depth: Callable[[], int]) -> None:
        self._depth = depth

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("bluegreen_queue_depth", "Runs queued for the workers")
        family.add_metric([], self._depth())
        yield family


class _CallsCollector(Collector):
    def __init__(self, calls: Callable[[], Counts[str]]) -> None:
        self._calls = calls

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily("bluegreen_eb_calls", "Elastic Beanstalk (and STS) API "
                                     "calls made, by operation", labels=["operation"])  # fmt: skip
        for operation, count in sorted(self._calls().items()):
            family.add_metric([operation], count)
        yield family
