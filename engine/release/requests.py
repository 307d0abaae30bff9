"""What an operator asks the runner for, as plain values (the CLI builds them from settings)."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from engine.domain.custom_domains import CustomDomains
from engine.domain.model import (
    Bundle,
    Facts,
    Guards,
    HealthCheck,
    Mode,
    Run,
    RunId,
    State,
    Strategy,
    Target,
)  # fmt: skip
from engine.release.stamp import stamp


class OnUnfinished(enum.StrEnum):
    """What a new trigger does when its target has an unfinished run."""

    FAIL = "fail"  # exit 3, naming the holder
    RESUME = "resume"  # take the run over when its lease expired (or nobody holds it)


@dataclass(frozen=True)
class LockPolicy:
    """How a trigger treats a busy target: give up at once, or wait up to `wait_seconds`."""

    on_unfinished: OnUnfinished = OnUnfinished.FAIL
    wait_seconds: float = 0.0


@dataclass(frozen=True)
class ReleaseRequest:
    """A new release: `full` or `deploy` of a version to a target."""

    target: Target
    green: str
    version_label: str
    mode: Mode = Mode.FULL
    health: HealthCheck = field(default_factory=HealthCheck)
    bundle: Bundle | None = None
    guards: Guards = field(default_factory=Guards)
    custom_domains: CustomDomains | None = None
    strategy: Strategy = Strategy.SWAP_BACK
    batch: str | None = None  # the fleet release it is part of (`submit --targets FILE`)
    # swap-and-keep: the environment named `green` that the run `kept_by_run` kept running
    # (`--keep-old forever`), found in the history and in EB (engine.release.pairs.adoption).
    kept_env_id: str | None = None
    kept_by_run: str | None = None

    def new_run(self, now: datetime, state: State = State.PREFLIGHT) -> Run:
        """A run of this request, stamped with this engine's version and revision."""
        return stamp(Run(
            id=new_run_id(), target=self.target, green=self.green, mode=self.mode,
            version_label=self.version_label, health=self.health, state=state,
            created_at=now, updated_at=now, bundle=self.bundle, guards=self.guards,
            facts=self._facts(), strategy=self.strategy, batch=self.batch,
        ))  # fmt: skip

    def _facts(self) -> Facts:
        domains = self.custom_domains
        return Facts(
            route53_request=domains.to_text() if domains else None,
            green_env_id=self.kept_env_id,
            adopted_from_run=self.kept_by_run,
        )


def new_run_id() -> RunId:
    """12 hex digits: short enough to type, unique enough for a run history."""
    return RunId(secrets.token_hex(6))
