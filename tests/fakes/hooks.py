"""FakeHookRunner: hook results scripted per command word, every call recorded."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from engine.domain.ports.hooks import HookResult


@dataclass
class FakeHookRunner:
    """`results[argv[0]]` is what a command gets (default: exit 0 with one line)."""

    results: dict[str, HookResult] = field(default_factory=dict)
    calls: list[tuple[list[str], dict[str, str], float]] = field(default_factory=list)

    def run(
        self,
        argv: Sequence[str],
        environment: Mapping[str, str],
        timeout_seconds: float,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> HookResult:
        self.calls.append((list(argv), dict(environment), timeout_seconds))
        return self.results.get(argv[0], HookResult(0, 0.1, (f"{argv[0]} ok",)))

    def commands(self) -> list[str]:
        return [argv[0] for argv, _, _ in self.calls]
