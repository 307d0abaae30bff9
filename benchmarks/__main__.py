"""`python -m benchmarks` (what `make bench` runs): every `benchmarks/*_bench.py`, in name order.

`python -m benchmarks NAME ...` runs only those (e.g. `python -m benchmarks dns read_commands`).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def names() -> list[str]:
    return sorted(path.stem for path in Path(__file__).parent.glob("*_bench.py"))


def main(argv: list[str]) -> None:
    wanted = {f"{name.removesuffix('_bench')}_bench" for name in argv}
    for name in names():
        if not wanted or name in wanted:
            print(f"\n### {name}", flush=True)
            # A benchmark with options parses sys.argv: it sees only its own name, not the
            # names this command was given.
            sys.argv = [f"benchmarks.{name}"]
            importlib.import_module(f"benchmarks.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
