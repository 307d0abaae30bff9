"""What a failed preflight means. Bad input is a refusal: the run ends `refused` in one
transition (nothing was changed, so nothing is rolled back; exit 2). AWS out of reach after
botocore's retries (throttling, 5xx, timeouts), or a bug, is no verdict on the input: the run
stays in preflight, resumable, and the exit code says it needs an operator (4).
"""

from __future__ import annotations

from engine.domain.errors import (
    BlueGreenError,
    ConfigurationError,
    DeadlineExceeded,
    ServiceError,
    StepFailed,
    ThrottledError,
)
from engine.domain.model import EventSource, Trigger
from engine.domain.step import Action, StepContext

# Pauses between whole preflight attempts once botocore's own retries gave up, as the poller
# keeps retrying DescribeEnvironments in a wait: preflight only reads (and registers a
# version idempotently), so running it again is safe.
RETRY_PAUSES_SECONDS = (1.0, 2.0, 4.0)


class PreflightStopped(BlueGreenError):
    """Preflight could not finish for a reason that is not the input; the drive stops."""


def is_refusal(error: Exception) -> bool:
    """Bad input (ConfigurationError), or a version preflight found undeployable (StepFailed);
    a deadline that ran out while EB processed a version is not the input's fault."""
    if isinstance(error, DeadlineExceeded):
        return False
    return isinstance(error, ConfigurationError | StepFailed)


def with_retries(action: Action, ctx: StepContext) -> Trigger:
    """`action`, run again after a pause while AWS throttles or answers 5xx."""
    for pause in RETRY_PAUSES_SECONDS:
        try:
            return action(ctx)
        except (ThrottledError, ServiceError) as error:
            ctx.journal.event(
                EventSource.AWS, f"preflight: {error}; retrying in {pause:g}s",
                error=type(error).__name__,
            )  # fmt: skip
            ctx.clock.sleep(pause)
    return action(ctx)


def stopped_message(reason: str, run_id: str) -> str:
    return (
        f"{reason}; nothing was changed and the run stays in preflight: "
        f"`bluegreen resume {run_id}` retries it"
    )
