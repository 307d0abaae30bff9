"""A Prometheus scrape during a fleet release: two `bluegreen worker --metrics-port` processes
(as a user runs them) share one history and release a fleet queued with `bluegreen submit`,
one target with a version that fails its health check. Both endpoints are scraped every two
seconds while the releases run and once after; the figures are printed with a plausibility
check of each against what the history says happened.

`python -m benchmarks fleet_metrics [--speed 10] [--targets 8]`; the history is a SQLite file
unless BLUEGREEN_BENCH_DATABASE_URL names another (PostgreSQL for a real fleet).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.release_budget import DEFAULT_SPEED, SEED_SPEED, simulator
from engine.domain.ports.store import RunQuery
from simulator import Simulator
from simulator.seed import seed_release_target
from simulator.timing import Timing
from storage.sql import open_store

SCRAPE_SECONDS = 2.0
DEADLINE_SECONDS = 600.0  # the benchmark stops by itself
Labels = tuple[tuple[str, str], ...]
Samples = dict[tuple[str, Labels], float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def scrape(port: int) -> Samples | None:
    try:
        answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5, trust_env=False)
    except httpx.HTTPError:
        return None
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum over every series of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def by_label(samples: Samples, name: str, label: str) -> dict[str, float]:
    found: dict[str, float] = defaultdict(float)
    for (n, labels), v in samples.items():
        if n == name:
            found[dict(labels).get(label, "")] += v
    return dict(found)


@dataclass
class Scrapes:
    ports: list[int]
    scrapes: int = 0
    max_queue: float = 0.0
    max_running: float = 0.0
    last: list[Samples] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(SCRAPE_SECONDS):
            self.once()

    def once(self) -> None:
        found = [s for s in (scrape(port) for port in self.ports) if s is not None]
        if not found:
            return
        self.scrapes += 1
        self.last = found
        self.max_queue = max(self.max_queue, total(found[0], "bluegreen_queue_depth"))
        running = total(found[0], "bluegreen_runs", outcome="in_progress")
        self.max_running = max(self.max_running, running - total(found[0], "bluegreen_runs",
                                                                   state="queued"))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks fleet_metrics")
    parser.add_argument("--speed", type=float, default=DEFAULT_SPEED)
    parser.add_argument("--targets", type=int, default=8)
    args = parser.parse_args()
    with simulator(args.speed) as sim, tempfile.TemporaryDirectory() as home:
        url = os.environ.get("BLUEGREEN_BENCH_DATABASE_URL") or f"sqlite:///{home}/runs.db"
        measure(sim, Path(home), url, max(2, args.targets))


def environment(sim: Simulator, home: Path, url: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BLUEGREEN_"))}
    return {
        **inherited, **sim.client_env(),
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "XDG_STATE_HOME": str(home / "state"),
        "BLUEGREEN_DATABASE_URL": url,
        "BLUEGREEN_HEALTH_INTERVAL": str(2.0 / sim.speed),
        "BLUEGREEN_HEALTH_GRACE": str(120 / sim.speed),
        "BLUEGREEN_LEASE_SECONDS": str(max(3.0, 60 / sim.speed)),
        "BLUEGREEN_DNS_SETTLE": str(sim.dns_settle_seconds),
        "BLUEGREEN_TIME_SCALE": str(min(1.0, 1 / sim.speed)),
        "BLUEGREEN_LOG_FORMAT": "text",
    }  # fmt: skip


def bluegreen(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "bluegreen"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "engine.operator.cli"]
    return [*prefix, *args]


def measure(sim: Simulator, home: Path, url: str, targets: int) -> None:
    measured = sim.backend.timing
    sim.backend.timing = Timing(SEED_SPEED, measured.durations)
    apps = [f"app{i}" for i in range(targets)]
    try:
        for app in apps:
            versions = {"v1": {}, "v2": {}, "broken": {"status": 500}}
            seed_release_target(sim, app=app, blue=f"{app}-blue", versions=versions)
    finally:
        sim.backend.timing = measured
    env = environment(sim, home, url)
    run_ids: dict[str, str] = {}
    for app in apps:  # the last target gets the version that fails its health check
        version = "broken" if app == apps[-1] else "v2"
        done = subprocess.run(
            bluegreen("submit", "--app", app, "--blue", f"{app}-blue", "--green",
                      f"{app}-green", "--version-label", version),
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        run_ids[app] = done.stdout.split()[1]
    ports = [free_port(), free_port()]
    concurrency = str((targets + 1) // 2)
    quiet = subprocess.DEVNULL
    workers = [
        subprocess.Popen(
            bluegreen("worker", "--metrics-port", str(port), "--concurrency", concurrency),
            env=env,
            stdout=quiet,
            stderr=quiet,
        )
        for port in ports
    ]
    scrapes = Scrapes(ports)
    scraper = threading.Thread(target=scrapes.run, daemon=True)
    started = time.monotonic()
    scraper.start()
    try:
        states = wait_all(url, list(run_ids.values()))
        seconds = time.monotonic() - started
        time.sleep(1.0)  # the drives' last observer calls follow their final transitions
        scrapes.stop.set()
        scraper.join()
        scrapes.once()
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            process.wait(60)
    report(sim, scrapes, states, seconds)


def wait_all(url: str, run_ids: list[str]) -> dict[str, str]:
    store = open_store(url)
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while True:
            runs = {r.id: r for r in store.list_runs(RunQuery(limit=None)) if r.id in run_ids}
            final = all(r.state.is_final for r in runs.values()) and len(runs) == len(run_ids)
            if final or time.monotonic() > deadline:
                return {run_id: runs[run_id].state.value for run_id in run_ids if run_id in runs}
            time.sleep(0.5)
    finally:
        store.close()


def report(sim: Simulator, scrapes: Scrapes, states: dict[str, str], seconds: float) -> None:
    workers = scrapes.last
    history = defaultdict(int)
    for state in states.values():
        history[state] += 1
    merged = workers[0]
    print(f"  {len(states)} releases on 2 workers in {seconds * sim.speed:.0f} AWS-s "
          f"({seconds:.0f} s wall at speed {sim.speed:g}); {scrapes.scrapes} scrapes of both "
          f"endpoints")  # fmt: skip
    runs = by_label(merged, "bluegreen_runs", "outcome")
    print(f"  bluegreen_runs by outcome: {dict(sorted(runs.items()))} "
          f"(history: {dict(sorted(history.items()))})")  # fmt: skip
    print(f"  bluegreen_queue_depth: max {scrapes.max_queue:.0f} seen while running, "
          f"{total(merged, 'bluegreen_queue_depth'):.0f} at the end; "
          f"runs in flight at most {scrapes.max_running:.0f}")  # fmt: skip
    drives = [total(w, "bluegreen_release_duration_seconds_count") for w in workers]
    outcomes: dict[str, float] = defaultdict(float)
    for w in workers:
        for outcome, n in by_label(w, "bluegreen_release_duration_seconds_count",
                                   "outcome").items():  # fmt: skip
            outcomes[outcome] += n
    mean = sum(total(w, "bluegreen_release_duration_seconds_sum") for w in workers) / max(
        sum(drives), 1
    )
    print(f"  bluegreen_release_duration_seconds: {sum(drives):.0f} drives "
          f"({' + '.join(f'{n:.0f}' for n in drives)} per worker; {dict(outcomes)}), "
          f"mean {mean:.1f} s wall = {mean * sim.speed:.0f} AWS-s")  # fmt: skip
    steps: dict[str, tuple[float, float]] = {}
    for w in workers:
        for state, n in by_label(w, "bluegreen_step_duration_seconds_count", "state").items():
            s = total(w, "bluegreen_step_duration_seconds_sum", state=state)
            count, summed = steps.get(state, (0.0, 0.0))
            steps[state] = (count + n, summed + s)
    print("  bluegreen_step_duration_seconds (mean AWS-s): " + ", ".join(
        f"{state} {summed / count * sim.speed:.0f} (x{count:.0f})"
        for state, (count, summed) in steps.items() if count
    ))  # fmt: skip
    calls: dict[str, float] = defaultdict(float)
    for w in workers:
        for operation, n in by_label(w, "bluegreen_eb_calls_total", "operation").items():
            calls[operation] += n
    reads = sum(n for op, n in calls.items() if op.startswith(("Describe", "List")))
    print(f"  bluegreen_eb_calls_total: {sum(calls.values()):.0f} calls, {reads:.0f} reads "
          f"({reads / max(len(states), 1):.1f} per release): "
          + ", ".join(f"{op} {n:.0f}" for op, n in sorted(calls.items())))  # fmt: skip
    errors = sum(total(w, "bluegreen_aws_errors_total") for w in workers)
    throttled = sum(total(w, "bluegreen_aws_errors_total", kind="throttled") for w in workers)
    print(f"  bluegreen_aws_errors_total: {errors:.0f} ({throttled:.0f} throttled)")
    lag_n = sum(total(w, "bluegreen_poller_detection_lag_seconds_count") for w in workers)
    lag_s = sum(total(w, "bluegreen_poller_detection_lag_seconds_sum") for w in workers)
    print(f"  bluegreen_poller_detection_lag_seconds: {lag_n:.0f} waits, mean "
          f"{lag_s / max(lag_n, 1) * sim.speed:.2f} AWS-s")  # fmt: skip
    renewals = sum(total(w, "bluegreen_lease_renewals_total") for w in workers)
    takeovers = sum(total(w, "bluegreen_lease_takeovers_total") for w in workers)
    print(f"  bluegreen_lease_renewals_total {renewals:.0f}, "
          f"bluegreen_lease_takeovers_total {takeovers:.0f}")  # fmt: skip
    checks = {
        "every release final, as the history says": runs.get("in_progress", 0) == 0
        and sum(runs.values()) == len(states),
        "one drive per release, over both workers": sum(drives) == len(states)
        and all(n > 0 for n in drives),
        "the broken target rolled back, the rest succeeded": history.get("rolled_back") == 1
        and history.get("succeeded") == len(states) - 1,
        "queue empty at the end": total(merged, "bluegreen_queue_depth") == 0,
        "EB calls counted, every release polled": reads >= len(states),
        "a lag recorded for waits, under 30 AWS-s on average": lag_n > 0
        and lag_s / max(lag_n, 1) * sim.speed < 30,
        "leases renewed, none taken over": renewals > 0 and takeovers == 0,
    }
    for what, ok in checks.items():
        print(f"  plausible: {'yes' if ok else 'NO '} {what}")


if __name__ == "__main__":
    main()
