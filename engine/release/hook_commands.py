"""The hook runner a drive's steps use: the lease fence before a hook starts, the runner's
stop request passed on (a hook killed by a stop is not a failure: the drive stops and the
hook runs again on resume), and the output tail made safe to store: secrets masked by the
project's redactor (credential variables of this process and of the hook's environment,
anything shaped like a key), control characters escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from engine.domain.ports.hooks import HookResult, HookRunner
from engine.domain.text_checks import printable
from engine.release.fence import Fence
from engine.release.interrupt import Interrupt
from engine.release.redact import Redactor


class GuardedHookRunner:
    """`HookRunner` for one drive, around the process-wide adapter."""

    def __init__(self, inner: HookRunner, fence: Fence, interrupt: Interrupt) -> None:
        self._inner, self._fence, self._interrupt = inner, fence, interrupt

    def run(
        self,
        argv: Sequence[str],
        environment: Mapping[str, str],
        timeout_seconds: float,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> HookResult:
        self._fence.check(f"the hook {argv[0] if argv else ''}")

        def stop() -> bool:
            return self._interrupt.is_set() or should_stop()

        result = self._inner.run(argv, environment, timeout_seconds, stop)
        if result.stopped:
            self._interrupt.check()  # Interrupted: the drive stops in this state
        redactor = Redactor.from_environment(extra=_secret_values(environment))
        tail = tuple(printable(redactor.text(line)) for line in result.output_tail)
        error = None if result.error is None else printable(redactor.text(result.error))
        return replace(result, output_tail=tail, error=error)


def _secret_values(environment: Mapping[str, str]) -> list[str]:
    return list(Redactor.from_environment(environment).secrets)
