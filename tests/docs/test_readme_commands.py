"""The README's quick start and simulator section, run exactly as written (every `sh` block
after a `<!-- readme-test: NAME -->` marker), in a temporary directory with its own history.

A fresh clone following them must reach a first release against the simulator; nothing here
talks to anything but 127.0.0.1 (the exports point every client at the simulator).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- readme-test: (?P<name>[\w-]+) -->\n```sh\n(?P<body>.*?)```", re.S)


def readme_blocks(name: str) -> list[str]:
    """The blocks of the README and the simulator page it links to, in that order."""
    text = README.read_text() + (ROOT / "docs" / "simulator.md").read_text()
    blocks = [m["body"] for m in BLOCK.finditer(text) if m["name"] == name]
    assert blocks, f"README.md / docs/simulator.md has no block marked readme-test: {name}"
    return blocks


def run_as_written(blocks: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    """The blocks as one bash script (stopping at the first failing command) in `workdir`,
    which holds the checkout's Makefile, pyproject.toml and .venv (a fresh clone's set-up)."""
    for name in ("Makefile", "pyproject.toml", ".venv"):
        (workdir / name).symlink_to(ROOT / name)
    script = "set -eo pipefail\n" + "\n".join(blocks)
    clean = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BLUEGREEN_")) and k != "XDG_STATE_HOME"
    }  # fmt: skip
    env = {
        **clean,
        "HOME": str(workdir / "home"),  # the default history: ~/.local/state/bluegreen
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
    }
    return subprocess.run(
        [shutil.which("bash") or "bash", "-c", script],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def assert_no_simulator_left(workdir: Path) -> None:
    assert not (workdir / "sim.env").exists(), "`simulator stop` must remove the env file"
    log = (workdir / "sim.env.log").read_text()
    assert "simulator stopped" in log


@pytest.mark.slow
def test_the_quick_start_reaches_a_first_release_against_the_simulator(tmp_path: Path) -> None:
    done = run_as_written(readme_blocks("quick-start"), tmp_path)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "Demo finished" in out
    assert "no live environment" not in out, "the custom domain follows every release"
    demo_runs = out[out.index("┏") : out.index("┘")]
    assert demo_runs.count("succeeded") == 2 and "rolled_back" in demo_runs
    assert "awaiting_cutover" in out and "try the new version at http://" in out
    assert "exit 1 (1: rolled back)" in out
    runs_list = out[out.rindex("┏") :]
    assert "succeeded" in runs_list and "rolled_back" in runs_list and "v41 -> v42" in runs_list
    assert_no_simulator_left(tmp_path)


@pytest.mark.slow
def test_the_simulator_section_serves_in_the_background_seeds_and_stops(tmp_path: Path) -> None:
    done = run_as_written(readme_blocks("simulator"), tmp_path)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "blue shop-blue" in out and "runs v41" in out
    assert "finished: succeeded (exit 0)" in out
    assert_no_simulator_left(tmp_path)
