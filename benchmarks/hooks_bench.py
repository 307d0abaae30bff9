"""What a lifecycle hook costs the release (figures printed, nothing asserted).

`python -m benchmarks.hooks_bench`: the runner's own overhead on a hook that does nothing
(`true`, and `python -c pass`), a hook that prints 200,000 lines (only the tail is kept, so
memory stays flat), how long a hook over its time limit takes to be killed with its children,
and the redaction of a 20-line tail.
"""

from __future__ import annotations

import statistics
import sys
import time

from cloud.hook_process import SubprocessHookRunner
from engine.release.redact import Redactor

RUNS = 20


def median_seconds(argv: list[str], runs: int = RUNS) -> float:
    runner = SubprocessHookRunner()
    return statistics.median(runner.run(argv, {}, 60).duration_seconds for _ in range(runs))


def main() -> None:
    print(f"hook runner: median of {RUNS} runs, seconds")
    print(f"  `true`                       {median_seconds(['true']):.4f}")
    print(f"  `python -c pass`             {median_seconds([sys.executable, '-c', 'pass']):.4f}")
    loud = [sys.executable, "-c", "import sys\nfor n in range(200_000): print(n)"]
    result = SubprocessHookRunner().run(loud, {}, 60)
    print(
        f"  200,000 lines of output      {result.duration_seconds:.4f}"
        f"  (tail kept: {len(result.output_tail)} lines, last {result.output_tail[-1]!r})"
    )
    sleeper = [sys.executable, "-c", "import subprocess,time\n"
               "subprocess.Popen(['sleep','60']); time.sleep(60)"]  # fmt: skip
    started = time.monotonic()
    killed = SubprocessHookRunner(kill_grace=1.0).run(sleeper, {}, 1.0)
    print(
        f"  over a 1 s limit, killed     {time.monotonic() - started:.4f}"
        f"  (timed out: {killed.timed_out})"
    )
    tail = tuple(f"line {n}: token=abc{n} AKIA{'A' * 16} ok" for n in range(20))
    started = time.perf_counter()
    for _ in range(100):
        redactor = Redactor.from_environment()
        [redactor.text(line) for line in tail]
    print(f"  redacting a 20-line tail     {(time.perf_counter() - started) / 100:.6f}")
