"""Lifecycle hooks: an operator's command run at a named point of a release, and the timed
cutover gate's policy. Plain values and the parsing of `--hook POINT=COMMAND` (no I/O).

A hook's command is split like a POSIX shell splits words (`shlex.split`) and run without a
shell; `docs/hooks.md` says what it gets in its environment and when it runs again.
"""

from __future__ import annotations

import enum
import shlex
from dataclasses import dataclass

from engine.domain.errors import ConfigurationError
from engine.domain.text_checks import control_character_in

DEFAULT_HOOK_TIMEOUT_SECONDS = 300.0
TAIL_LINES = 20  # the last lines of a hook's output kept in the history


class HookPoint(enum.StrEnum):
    """Where a hook runs. Gate points fail their step (and roll back) on a non-zero exit;
    `on-rollback` only records its failure: it never blocks the rollback."""

    BEFORE_SWAP = "before-swap"  # swapping: before the CNAMEs move
    AFTER_VERIFY = "after-verify"  # verifying: after the health checks passed
    BEFORE_CLEANUP = "before-cleanup"  # cleaning_up: before green is terminated
    ON_ROLLBACK = "on-rollback"  # rolling_back: at its start, once per rollback

    @property
    def is_gate(self) -> bool:
        return self is not HookPoint.ON_ROLLBACK


class OnTimeout(enum.StrEnum):
    """What a run resting at the cutover gate past `--cutover-timeout` is moved to."""

    ROLLBACK = "rollback"
    CUTOVER = "cutover"


@dataclass(frozen=True)
class Hook:
    """One `--hook POINT=COMMAND`: the command as given (split again when it runs)."""

    point: HookPoint
    command: str

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.command)

    @property
    def text(self) -> str:
        return f"{self.point}={self.command}"


def parse_hook(text: str) -> Hook:
    """`before-swap=./migrate.sh --check`; raises ConfigurationError in one line."""
    point_text, equals, command = text.partition("=")
    points = ", ".join(p.value for p in HookPoint)
    if not equals:
        raise ConfigurationError(f"hook {text!r}: expected POINT=COMMAND, POINT one of {points}")
    try:
        point = HookPoint(point_text.strip())
    except ValueError:
        raise ConfigurationError(
            f"hook {text!r}: unknown hook point {point_text.strip()!r} (one of {points})"
        ) from None
    control = control_character_in(command)
    if control:
        raise ConfigurationError(f"hook {point}: the command holds the control character {control}")
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise ConfigurationError(f"hook {point}: cannot split the command: {error}") from None
    if not argv:
        raise ConfigurationError(f"hook {point}: the command is empty")
    return Hook(point, command.strip())


def hooks_at(hooks: tuple[Hook, ...], point: HookPoint) -> tuple[Hook, ...]:
    """The hooks of one point, in the order they were given."""
    return tuple(hook for hook in hooks if hook.point is point)
