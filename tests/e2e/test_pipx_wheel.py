"""`bluegreen` as users install it: the built wheel through `pipx install`, run outside the
checkout, releasing against the simulator with its migrations taken from the wheel."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from storage.revisions import head_revisions
from tests.e2e.cli import APP, BLUE, GREEN, Cli

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed by pipx in a home of its own: the
    directory of its `bluegreen` command."""
    root = tmp_path_factory.mktemp("pipx")
    dist = root / "dist"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)]
    subprocess.run(build, check=True, timeout=300, capture_output=True)
    [wheel] = dist.glob("*.whl")
    env = {**_outside_env(), "PIPX_HOME": str(root / "home"), "PIPX_BIN_DIR": str(root / "bin")}
    env["PIPX_MAN_DIR"] = str(root / "man")
    command = [sys.executable, "-m", "pipx", "install", "--python", sys.executable, str(wheel)]
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "bin"


def _outside_env() -> dict[str, str]:
    """This environment without what points Python at the checkout or its venv."""
    dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    return {k: v for k, v in os.environ.items() if k not in dropped}


def test_the_pipx_installed_command_prints_the_wheels_version(
    installed: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [str(installed / "bluegreen"), "--version"], cwd=tmp_path, env=_outside_env(),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == version("beanstalk-bluegreen")


def test_the_pipx_install_imports_nothing_from_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    python = (installed / "bluegreen").resolve().parent / "python"
    code = "import engine, storage.migrate as m; print(engine.__file__); print(m.script_location())"
    done = subprocess.run([str(python), "-I", "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for location in done.stdout.split():
        assert not Path(location).is_relative_to(REPO), location


def test_a_release_from_the_pipx_install_migrates_its_history_from_the_wheel(
    installed: Path, cli: Cli
) -> None:
    env = {k: v for k, v in cli.env.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    command = [str(installed / "bluegreen"), "full", "--app", APP, "--blue", BLUE,
               "--green", GREEN, "--version-label", "v2"]  # fmt: skip
    done = subprocess.run(command, cwd=cli.home, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    with sqlite3.connect(cli.database_path) as db:
        revisions = {row[0] for row in db.execute("SELECT version_num FROM alembic_version")}
        states = [row[0] for row in db.execute("SELECT state FROM runs")]
    assert revisions == set(head_revisions())
    assert states == ["succeeded"]
