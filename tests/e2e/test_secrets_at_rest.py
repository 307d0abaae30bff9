"""The health URL's secrets (query tokens, signatures, user info) are used for the probe and
stored nowhere: not in the database file or its WAL, not in a webhook payload, not in any
output; a run read back asks for the URL again instead of probing a masked one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import APP, BLUE, GREEN, Cli, Done
from tests.integration.cloud.receiver import running_receiver

FLAGS = ("--app", APP, "--blue", BLUE, "--green", GREEN)
SECRETS = ("pa55-SECRET-99", "t0ken-VALUE-1234", "s1gnature-VALUE-5678", "k3y-VALUE-0042")


def secret_url(host: str) -> str:
    return (
        f"http://deploy:{SECRETS[0]}@{host}/health?token={SECRETS[1]}"
        f"&X-Amz-Signature={SECRETS[2]}&key={SECRETS[3]}&page=2"
    )


def files_of_history(cli: Cli) -> list[Path]:
    """The SQLite file and, while connections were open, its WAL and shared-memory files."""
    base = cli.database_path
    return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]


def assert_no_secret_in(where: str, content: bytes | str) -> None:
    raw = content if isinstance(content, bytes) else content.encode()
    for secret in SECRETS:
        assert secret.encode() not in raw, f"{secret} found in {where}"


def assert_nothing_printed_a_secret(*runs: Done) -> None:
    for done in runs:
        assert_no_secret_in("stdout", done.stdout)
        assert_no_secret_in("stderr", done.stderr)


@pytest.mark.slow
def test_a_failed_release_stores_sends_and_prints_no_secret_of_its_health_url(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    # Nothing listens on port 1: the probe fails, the release rolls back, and the failure
    # (which names the URL) lands in the error, the transitions, the events and the payload.
    url = secret_url("127.0.0.1:1")
    cli.store().close()  # the database exists; a connection held open keeps the WAL around
    keeper = sqlite3.connect(cli.database_path)
    keeper.execute("SELECT count(*) FROM runs").fetchall()
    with running_receiver() as receiver:
        done = cli.run(
            "full", *FLAGS, "--version-label", "v2", "--health-path", url,
            "--notify-url", receiver.url,
        )  # fmt: skip
        assert receiver.wait_for_requests(1)
    shown = cli.run("runs", "show", done.run_id, "--json")
    listed = cli.run("runs", "list", "--json")

    assert done.exit_code == 1, done
    assert cli.states(done.run_id)[-1] == "rolled_back"
    assert "REDACTED" in shown.stdout, shown
    assert_nothing_printed_a_secret(done, shown, listed)
    history = files_of_history(cli)
    assert [p.name for p in history] == ["runs.db", "runs.db-wal", "runs.db-shm"]
    assert b"REDACTED" in history[1].read_bytes()  # the WAL holds what was written
    for path in history:
        assert_no_secret_in(path.name, path.read_bytes())
    keeper.close()
    for _path, _headers, body in receiver.requests:
        assert_no_secret_in("the webhook payload", body)


@pytest.mark.slow
def test_a_run_read_back_needs_its_secret_url_again_and_then_probes_with_it(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    url = secret_url(target.cname)
    deployed = cli.run("deploy", *FLAGS, "--version-label", "v2", "--health-path", url)
    assert deployed.exit_code == 0, deployed

    without = cli.run("cutover", deployed.run_id)

    assert without.exit_code == 2, without
    assert "give the URL again" in without.stdout + without.stderr
    assert f"bluegreen resume {deployed.run_id} --health-path URL" in without.stdout

    again = cli.run("resume", deployed.run_id, "--health-path", url)

    assert again.exit_code == 0, again
    assert cli.states(deployed.run_id)[-1] == "succeeded"
    assert_nothing_printed_a_secret(deployed, without, again)
    for path in files_of_history(cli):
        assert_no_secret_in(path.name, path.read_bytes())
