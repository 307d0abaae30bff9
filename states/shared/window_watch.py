"""Watching the live environment through a window (swap-back's bake, swap-and-keep's keep
window): each slice checks the alarms, EB's health (with its grace) and one probe; a streak
of failed probes is a regression (StepFailed)."""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.step import StepContext
from states.shared.alarm_gates import check_alarms
from states.shared.conditions import Grace
from states.shared.probing import ProbeTarget, answer, probe_once
from states.shared.steady import Current


class WindowWatch:
    """One look at `role` per slice of the window `window` ("bake window", "keep window")."""

    def __init__(
        self, ctx: StepContext, target: ProbeTarget, role: str, current: Current, window: str,
        purpose: str,
    ) -> None:  # fmt: skip
        self._ctx, self._target, self._role, self._current = ctx, target, role, current
        self._window, self._purpose = window, purpose
        self._grace = Grace(ctx.clock, ctx.deadlines.health_grace)
        self._failed_in_a_row = 0
        self.probes = 0

    def check(self) -> None:
        ctx = self._ctx
        check_alarms(ctx, f"during the {self._window}")
        self._grace.check(self._role, self._current(ctx))
        result = probe_once(ctx, self._target, self._purpose)
        self.probes += 1
        if result.ok(ctx.run.health.expected_status):
            self._failed_in_a_row = 0
            return
        self._failed_in_a_row += 1
        if self._failed_in_a_row >= ctx.run.health.failures:
            raise StepFailed(
                f"regression during the {self._window}: {self._failed_in_a_row} failed probes "
                f"in a row; last: {answer(result, self._target)}"
            )
