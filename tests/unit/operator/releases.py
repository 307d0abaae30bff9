"""Histories shaped like real releases (runs, transitions, EB events, probes), for the tests
of the history views, commands and report. Times and messages follow what EB and the engine
record: a clone takes minutes, a swap seconds, a rollback undoes newest first."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.domain.model import (
    EventRecord,
    EventSource,
    Facts,
    HealthCheck,
    Mode,
    Run,
    RunId,
    State,
    Target,
    TransitionRecord,
    Trigger,
)

T0 = datetime(2026, 11, 26, 13, 0, 0, tzinfo=UTC)
GOOD_PROBE_URL = "http://blue-env.us-east-1.elasticbeanstalk.com/health"


@dataclass
class History:
    """A run and everything recorded about it, built step by step along a clock."""

    run: Run
    transitions: list[TransitionRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    now: datetime = T0

    def move(self, seconds: float, trigger: Trigger | str, to: State, detail: str | None = None):
        self.now += timedelta(seconds=seconds)
        source = self.transitions[-1].to_state if self.transitions else None
        self.transitions.append(
            TransitionRecord(self.run.id, source, to, str(trigger), self.now, detail)
        )
        self.run = replace(self.run, state=to, updated_at=self.now)
        return self

    def happen(self, seconds: float, source: EventSource, message: str, **data: Any):
        self.now += timedelta(seconds=seconds)
        self.events.append(EventRecord(self.run.id, self.now, source, message, data))
        return self

    def probe(self, seconds: float, status: int):
        """Shaped like states.verifying's probe events."""
        return self.happen(
            seconds,
            EventSource.PROBE,
            f"probe {GOOD_PROBE_URL}: {status} in 0.012 s",
            url=GOOD_PROBE_URL,
            status=status,
            latency_seconds=0.012,
            error=None,
        )

    def finish(self, error: str | None = None, rollback_reason: str | None = None):
        self.run = replace(
            self.run,
            finished_at=self.now,
            error=error,
            rollback_reason=rollback_reason,
            lease_owner=None,
            lease_expires_at=None,
        )
        return self


def new_run(
    run_id: str,
    created_at: datetime = T0,
    app: str = "shop",
    blue: str = "shop-blue",
    version_label: str = "v2",
    mode: Mode = Mode.FULL,
) -> History:
    run = Run(
        id=RunId(run_id),
        target=Target("us-east-1", app, blue),
        green=f"{blue}-green",
        mode=mode,
        version_label=version_label,
        health=HealthCheck(path="/health"),
        state=State.PREFLIGHT,
        created_at=created_at,
        updated_at=created_at,
        lease_owner="runner-a@host1:4242",
        lease_expires_at=created_at + timedelta(seconds=60),
    )
    history = History(run, now=created_at)
    return history.move(0, "start", State.PREFLIGHT)


def _learned(history: History) -> History:
    blue = history.run.target.blue
    history.run.facts = Facts(
        blue_env_id="e-blue12345",
        blue_cname=f"{blue}.us-east-1.elasticbeanstalk.com",
        previous_version_label="v1",
        green_env_id="e-green6789",
        green_cname=f"{blue}-green.us-east-1.elasticbeanstalk.com",
        template_name=f"bluegreen-{history.run.id}",
    )
    return history


def up_to_verifying(history: History) -> History:
    _learned(history)
    green = history.run.green
    history.move(4, Trigger.PREFLIGHT_PASSED, State.CLONING)
    history.happen(2, EventSource.EB, "createEnvironment is starting.", environment=green)
    history.happen(150, EventSource.EB, "Environment health has transitioned to Ok.")
    history.move(28, Trigger.CLONED, State.SWAPPING)
    history.happen(
        5, EventSource.EB, f"Completed swapping CNAMEs for environments {green} and shop-blue."
    )
    history.move(1, Trigger.SWAPPED, State.DEPLOYING)
    history.happen(
        3, EventSource.AWS, "Throttling: Rate exceeded (retrying)", code="Throttling", retry=1
    )
    history.happen(40, EventSource.EB, "Environment update completed successfully.")
    return history.move(2, Trigger.DEPLOYED, State.VERIFYING)


def succeeded_release(run_id: str = "a1b2c3d4e5f60718", **kwargs: Any) -> History:
    history = up_to_verifying(new_run(run_id, **kwargs))
    history.probe(2, 200).probe(2, 200).probe(2, 200)
    history.move(1, Trigger.VERIFIED, State.CUTTING_OVER)
    history.happen(6, EventSource.EB, "Completed swapping CNAMEs for environments.")
    history.move(1, Trigger.CUT_OVER, State.CLEANING_UP)
    history.happen(200, EventSource.EB, "terminateEnvironment completed successfully.")
    history.move(3, Trigger.CLEANED_UP, State.SUCCEEDED)
    return history.finish()


def rolled_back_release(run_id: str = "f00dfeed12345678", **kwargs: Any) -> History:
    history = up_to_verifying(new_run(run_id, **kwargs))
    history.probe(2, 500).probe(2, 500)
    reason = "health check failed: GET /health answered 500 (expected 200)"
    history.move(30, Trigger.FAIL, State.ROLLING_BACK, reason)
    history.happen(1, EventSource.ENGINE, "rollback: deploying v1 back to shop-blue")
    history.happen(45, EventSource.EB, "Environment update completed successfully.")
    history.happen(2, EventSource.ENGINE, "rollback: swapping CNAMEs back")
    history.happen(6, EventSource.EB, "Completed swapping CNAMEs for environments.")
    history.happen(1, EventSource.ENGINE, "rollback: terminating shop-blue-green")
    history.happen(180, EventSource.EB, "terminateEnvironment completed successfully.")
    history.move(2, Trigger.UNDONE, State.ROLLED_BACK)
    return history.finish(error=reason, rollback_reason=reason)


def waiting_release(run_id: str = "0a0b0c0d0e0f1011", **kwargs: Any) -> History:
    """A `deploy` that rests in awaiting_cutover with nobody holding it."""
    history = new_run(run_id, mode=Mode.DEPLOY, **kwargs)
    history = up_to_verifying(history)
    history.transitions.pop()
    history.move(0, Trigger.PAUSE, State.AWAITING_CUTOVER)
    history.run = replace(history.run, lease_owner=None, lease_expires_at=None)
    return history


def running_release(run_id: str = "1234abcd5678ef90", lease_seconds: float = 60, **kwargs: Any):
    """A run in progress (verifying) whose lease ends `lease_seconds` after its last move."""
    history = up_to_verifying(new_run(run_id, **kwargs))
    history.run = replace(
        history.run,
        lease_owner="runner-b@host2:99",
        lease_expires_at=history.now + timedelta(seconds=lease_seconds),
    )
    return history
