"""How long the redactor takes on long hostile strings (figures printed, nothing asserted).

`python -m benchmarks.redact_bench`: each input is read once per pattern, so the time grows
with its length, not with its square (the old pattern took 41 s at 20,000 characters).
"""

from __future__ import annotations

import time

from engine.release.redact import MAX_SCAN_CHARS, Redactor, mask_shapes

SHAPES = {
    "one long word": "a",
    "secret words, no separator": "tokenkey_",
    "scheme-like, no ://": "h1+.",
    "lower case base64": "abc/",
    "url with a password": "http://u:p@h/",
    "name=value pairs": "x_token=v;",
}
SIZES = (20_000, 65_536, 1_000_000)


def timed(text: str) -> float:
    started = time.perf_counter()
    Redactor(secrets=("hunter2-hunter2",)).text(text)
    return time.perf_counter() - started


def timed_unbounded(text: str) -> float:
    started = time.perf_counter()
    mask_shapes(text)
    return time.perf_counter() - started


def main() -> None:
    print(f"redactor: seconds per string (scan bound {MAX_SCAN_CHARS:,} characters)")
    print(f"{'shape':32}" + "".join(f"{size:>12,}" for size in SIZES))
    for name, unit in SHAPES.items():
        row = [timed((unit * (size // len(unit) + 1))[:size]) for size in SIZES]
        print(f"{name:32}" + "".join(f"{seconds:12.4f}" for seconds in row))
    print("the patterns alone, no scan bound: seconds per string")
    for name, unit in SHAPES.items():
        row = [timed_unbounded((unit * (size // len(unit) + 1))[:size]) for size in SIZES]
        print(f"{name:32}" + "".join(f"{seconds:12.4f}" for seconds in row))


if __name__ == "__main__":
    main()
