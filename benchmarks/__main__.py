"""`python -m benchmarks` (what `make bench` runs): every benchmark, one after the other."""

from __future__ import annotations

from benchmarks import fleet_bench, poller_bench


def main() -> None:
    poller_bench.main()
    fleet_bench.main([])


if __name__ == "__main__":
    main()
