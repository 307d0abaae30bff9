"""A fleet release in waves (`bluegreen submit --targets FILE --wave-size N`) driven by a real
`bluegreen worker`: the wave with a failing target is the last one queued, and the targets of
the waves after it are untouched (no run in the history, blue on its version, no green)."""

from __future__ import annotations

import json
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.domain.ports.store import RunQuery
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.e2e.cli import Cli
from tests.integration.release.world import assert_blue_serves, assert_clean, production

FLEET = ["shop", "cart", "till", "shelf", "stock", "brand"]
BROKEN = "shelf"  # the second target of wave 2: its v2 answers 500, so its release rolls back
GOOD = {"v1": {}, "v2": {}}
NEVER = datetime.max.replace(tzinfo=UTC)


@pytest.fixture
def fleet(sim: Simulator) -> dict[str, ReleaseTarget]:
    bad = {"v1": {}, "v2": {"status": 500, "body": "boom"}}
    return {app: seed_release_target(sim, app=app, blue=f"{app}-blue",
                                     versions=bad if app == BROKEN else GOOD)
            for app in FLEET}  # fmt: skip


def targets_file(tmp_path: Path) -> Path:
    lines = ["# app  blue  green  (region: AWS_DEFAULT_REGION)", ""]
    lines += [f"{app}  {app}-blue\t{app}-green" for app in FLEET]
    path = tmp_path / "fleet.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow  # six releases (and one again), two at a time: about a minute
def test_a_wave_release_of_6_targets_stops_after_the_wave_with_a_failing_target(
    sim: Simulator, fleet: dict[str, ReleaseTarget], tmp_path: Path, history_url: str
) -> None:
    cli = Cli(sim, tmp_path, database_url=history_url)
    release = ("submit", "--targets", str(targets_file(tmp_path)), "--wave-size", "2",
               "--batch", "night-1")  # fmt: skip
    worker = cli.start("worker", "--concurrency", "2", BLUEGREEN_LEASE_SECONDS="3")
    try:
        done = cli.run(*release, VERSION_LABEL="v2", timeout=180)
        # The same batch again: what succeeded is skipped, shelf is queued anew (and fails
        # again: its v2 is still broken), and wave 3 is still not started.
        again = cli.run(*release, VERSION_LABEL="v2", timeout=180)
    finally:
        worker.process.send_signal(signal.SIGTERM)
        assert worker.finish().exit_code == 0

    assert done.exit_code == 1, done  # a wave stopped the release; what it touched rolled back
    lines = done.stdout.splitlines()
    assert "wave 1/3 succeeded" in lines, done
    assert "wave 2/3 stopped: 1 of 2 target(s) did not succeed" in lines, done
    region = cli.env["AWS_DEFAULT_REGION"]
    assert f"wave 3/3 not started: {region}/stock/stock-blue, {region}/brand/brand-blue" in lines
    assert any(line.startswith("fleet night-1: 3 succeeded, 1 rolled back, 2 not started")
               for line in lines), done  # fmt: skip
    store = cli.store()
    try:
        runs = store.list_runs(RunQuery(batch="night-1"))  # newest first: shelf's second run
        batch = {run.target.app: run for run in reversed(runs)}
        states = {app: run.state.value for app, run in batch.items()}
        assert states == {"shop": "succeeded", "cart": "succeeded", "till": "succeeded",
                          "shelf": "rolled_back"}, states  # fmt: skip
        assert len(runs) == 5
        for app in ("stock", "brand"):  # wave 3: never queued
            assert store.list_runs(RunQuery(app=app)) == []
        # Wave 2 was queued only once wave 1 had ended.
        wave_1_ended = max(batch[app].finished_at or NEVER for app in ("shop", "cart"))
        assert all(batch[app].created_at >= wave_1_ended for app in ("till", "shelf"))
    finally:
        store.close()
    for app, seeded in fleet.items():
        world = production(sim, app, f"{app}-blue", f"{app}-green", seeded.cname)
        released = app in ("shop", "cart", "till")
        assert_blue_serves(world, "v2" if released else "v1", seeded.cname)
        assert_clean(world, greens_created={"stock": 0, "brand": 0, BROKEN: 2}.get(app, 1))

    listed = cli.run("runs", "list", "--batch", "night-1", "--json")
    assert listed.exit_code == 0, listed
    rows = json.loads(listed.stdout)
    assert sorted(row["app"] for row in rows) == sorted([*FLEET[:4], BROKEN])  # shelf twice
    assert {row["batch"] for row in rows} == {"night-1"}
    assert again.exit_code == 1, again
    skipped = [line for line in again.stdout.splitlines() if "succeeded earlier" in line]
    assert len(skipped) == 3, again
    assert "wave 3/3 not started" in again.stdout, again


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--targets", "{bad}"), "bluegreen: {bad}:3: green environment 'till_green' must be"),
        (("--targets", "{good}", "--app", "shop"), "names the targets: drop --app"),
        (("--wave-size", "2"), "bluegreen: --wave-size goes only with --targets FILE"),
        (("--targets", "{missing}"), "cannot read the targets file"),
        (
            (
                "--targets",
                "{good}",
                "--route53-record",
                "shop.example.com",
                "--hosted-zone-id",
                "Z0123456789ABCDEFGHIJ",
            ),
            "do not go with --targets",
        ),
        (
            ("--targets", "{good}", "--wave-size", "0"),
            "invalid value for '--wave-size': must be at least 1",
        ),
    ],
)
def test_a_bad_targets_file_or_flag_exits_2_with_one_line_and_queues_nothing(
    sim: Simulator, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    files = {"bad": tmp_path / "bad.txt", "good": tmp_path / "good.txt",
             "missing": tmp_path / "missing.txt"}  # fmt: skip
    files["bad"].write_text("shop shop-blue shop-green\n# two\ntill till-blue till_green\n")
    files["good"].write_text("shop shop-blue shop-green\n")
    cli = Cli(sim, tmp_path)
    typed = [arg.format(**{k: str(v) for k, v in files.items()}) for arg in args]

    done = cli.run("submit", *typed, VERSION_LABEL="v2")

    assert done.exit_code == 2, done
    assert done.stderr.count("\n") == 1, done
    assert says.format(**{k: str(v) for k, v in files.items()}) in done.stderr, done
    assert cli.history_is_empty()
