"""`python -m benchmarks` (what `make bench` runs): every benchmark, one after the other."""

from __future__ import annotations

from benchmarks import poller_bench, route53_bench


def main() -> None:
    poller_bench.main()
    route53_bench.main()


if __name__ == "__main__":
    main()
