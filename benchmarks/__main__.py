"""`python -m benchmarks` (what `make bench` runs): every benchmark, one after the other."""

from __future__ import annotations

from benchmarks import dns_bench, poller_bench, zero_downtime_bench


def main() -> None:
    poller_bench.main()
    dns_bench.main()
    zero_downtime_bench.main()


if __name__ == "__main__":
    main()
