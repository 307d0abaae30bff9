"""The domain of a release: its states, its inputs, the facts it records and its history.

Plain values only: no vendor imports. Storage maps these to rows; the CLI renders them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NewType

# The lifecycle's own enums, re-exported: most of the code imports them from here.
from engine.domain.hooks import DEFAULT_HOOK_TIMEOUT_SECONDS, Hook, OnTimeout
from engine.domain.lifecycle import State as State
from engine.domain.lifecycle import Strategy as Strategy
from engine.domain.lifecycle import Trigger as Trigger

RunId = NewType("RunId", str)


class Mode(enum.StrEnum):
    """What the operator asked for: the whole release, or up to the cutover wait."""

    FULL = "full"
    DEPLOY = "deploy"
    # `rollback --to-version LABEL`: a run created in rolling_back that puts blue on LABEL
    # (its version_label); facts.previous_version_label is what blue ran when asked.
    RESTORE = "restore"


class EventSource(enum.StrEnum):
    """Where a history event came from."""

    ENGINE = "engine"
    EB = "eb"
    PROBE = "probe"
    AWS = "aws"
    OPERATOR = "operator"
    NOTIFY = "notify"  # how a notification's delivery ended (written by the notifier's thread)


@dataclass(frozen=True)
class Target:
    """What a run releases to: at most one unfinished run per target."""

    region: str
    app: str
    blue: str

    @property
    def key(self) -> str:
        return f"{self.region}/{self.app}/{self.blue}"


@dataclass(frozen=True)
class HealthCheck:
    """How blue is verified over HTTP before the cutover."""

    path: str = "/"
    expected_status: tuple[int, ...] = (200,)
    successes: int = 3
    interval_seconds: float = 2.0
    timeout_seconds: float = 5.0
    deadline_seconds: float = 120.0
    # Failed probes in a row that fail the step at once instead of waiting out the deadline.
    failures: int = 3


# EB serves environment CNAMEs with a 60 s TTL; Route 53 (behind them) says "changes
# generally propagate to all Route 53 name servers within 60 seconds" (Route 53 Developer
# Guide, "Editing records"; GetChange reports PENDING until then).
# A resolver may thus ask a not-yet-updated name server up to 60 s after the swap and keep
# that answer another 60 s: 120 s covers every resolver that honours the TTL.
DEFAULT_DNS_SETTLE_SECONDS = 120.0


@dataclass(frozen=True)
class Guards:
    """How a release protects live traffic: DNS settle time after each swap, a bake window
    after the cutover, and CloudWatch alarms that stop the release when they go to ALARM."""

    dns_settle_seconds: float = DEFAULT_DNS_SETTLE_SECONDS
    bake_seconds: float = 0.0
    alarms: tuple[str, ...] = ()
    # swap-and-keep: how long the old environment stays up after the swap (None: the DNS
    # settle), or kept running for good (the next release's green).
    keep_old_seconds: float | None = None
    keep_old_forever: bool = False
    # traffic-split: the share of live traffic the new version gets during the evaluation
    # (aws:elasticbeanstalk:trafficsplitting NewVersionPercent, EvaluationTime in minutes).
    canary_percent: int = 10
    canary_minutes: int = 5
    # Green as strong as blue (issue 19): before an environment takes the live CNAME, raise its
    # capacity to the in-service count of the one serving it, within `warm_up_seconds`.
    warm_up: bool = True
    warm_up_seconds: float = 15 * 60
    # Green's settings differ from blue's: "fail" refuses differences in capacity, instance
    # type, load balancer and environment variables (others warn); "warn" only records them.
    on_drift: str = "fail"
    # Blue in an operation not this run's (or a managed action): wait this long, then refuse.
    wait_for_blue_seconds: float = 0.0

    # Lifecycle hooks (engine.domain.hooks) and how long each may run.
    hooks: tuple[Hook, ...] = ()
    hook_timeout_seconds: float = DEFAULT_HOOK_TIMEOUT_SECONDS
    # The timed cutover gate: a run resting in awaiting_cutover this long is moved on by
    # any worker (or the next resume) as `on_timeout` says; None waits for an operator.
    cutover_timeout_seconds: float | None = None
    on_timeout: OnTimeout = OnTimeout.ROLLBACK

    @property
    def keep_window_seconds(self) -> float:
        """How long swap-and-keep watches the new live environment with the old one up: never
        shorter than the DNS settle (clients with the cached answer still reach the old one)."""
        keep = self.dns_settle_seconds if self.keep_old_seconds is None else self.keep_old_seconds
        return max(keep, self.dns_settle_seconds)


@dataclass(frozen=True)
class Bundle:
    """A source bundle to upload and register as the new version."""

    path: str
    bucket: str


@dataclass
class Facts:
    """What the run learned and did in AWS; resume and rollback rely on these."""

    blue_env_id: str | None = None
    blue_cname: str | None = None
    previous_version_label: str | None = None
    green_env_id: str | None = None
    green_cname: str | None = None
    template_name: str | None = None
    bundle_bucket: str | None = None
    bundle_key: str | None = None
    # The last mutating call the run asked EB for, recorded before the call is sent, and when
    # (ISO-8601 UTC): after a lost response or a crash, what to look for in what exists.
    requested: str | None = None
    requested_at: str | None = None
    # When the live CNAME was last seen moved onto green, and back onto blue: the DNS settle
    # times count from these (a resumed run keeps counting from them, not from the restart).
    swapped_at: datetime | None = None
    swapped_back_at: datetime | None = None
    # Custom domains in Route 53 (JSON texts, see engine.domain.custom_domains): what the
    # operator asked for, the records as preflight found them, and a change not yet settled.
    route53_request: str | None = None
    route53_records: str | None = None
    route53_pending: str | None = None
    # The hook points whose hooks ran to their end (comma-separated): a step run again after
    # a crash does not run them again; a hook killed mid-run is not in it and runs again.
    hooks_done: str | None = None
    # When a run resting at the cutover gate times out (deploy --cutover-timeout).
    gate_deadline: datetime | None = None
    # swap-and-keep adopting the environment an earlier run kept (`--keep-old forever`): that
    # run's id; the kept environment is this run's green (`green_env_id`, recorded at creation)
    # and gets the new version by a deploy instead of being created.
    adopted_from_run: str | None = None


@dataclass
class Run:
    """One release: its inputs, where it is, and what it has recorded."""

    id: RunId
    target: Target
    green: str
    mode: Mode
    version_label: str
    health: HealthCheck
    state: State
    created_at: datetime
    updated_at: datetime
    facts: Facts = field(default_factory=Facts)
    bundle: Bundle | None = None
    strategy: Strategy = Strategy.SWAP_BACK
    guards: Guards = field(default_factory=Guards)
    finished_at: datetime | None = None
    error: str | None = None
    # Why a rollback started (the failure it undoes); kept apart from `error`,
    # which says why the run as a whole ended badly.
    rollback_reason: str | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    # The engine that created the run: package version and state-machine/facts revision
    # (None: written before runs were stamped).
    engine_version: str | None = None
    engine_revision: int | None = None
    # The fleet release (`submit --targets FILE`) the run belongs to, set once at creation
    # (None: a run of its own); `runs list --batch` and a resumed fleet release find it by it.
    batch: str | None = None

    @property
    def rollback_version(self) -> str | None:
        """The version a rollback puts blue on: blue's version before this run, or the one
        `rollback --to-version` asked for (runs recorded before Mode.RESTORE kept that one
        as their previous version)."""
        if self.mode is Mode.RESTORE:
            return self.version_label
        return self.facts.previous_version_label


@dataclass(frozen=True)
class TransitionRecord:
    """One step of the state machine, as stored."""

    run_id: RunId
    from_state: State | None
    to_state: State
    trigger: str
    at: datetime
    detail: str | None = None


@dataclass(frozen=True)
class EventRecord:
    """One thing that happened during a run, for post-mortems."""

    run_id: RunId
    at: datetime
    source: EventSource
    message: str
    data: dict[str, Any] = field(default_factory=dict)
