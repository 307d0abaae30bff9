"""AWS's own clients (the EB CLI `awsebcli`, the AWS CLI `awscli`) in a virtualenv of their
own, `.venv-conformance` (their pins clash with ours), built once and reused, and a runner that
calls them as a user would: a subprocess, its exit code, its output, a time bound."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-conformance"
# What issue 9 was tried with: awsebcli 3.27 and awscli 1.46 (pip resolves 3.27.5 and 1.46.3).
REQUIREMENTS = ("awsebcli>=3.27,<4", "awscli>=1.46,<2")
STAMP = VENV / ".installed"
INSTALL_SECONDS = 600


class ClientsUnavailable(Exception):
    """The clients could not be installed (e.g. no access to the package index)."""


def ensure_clients(venv: Path = VENV) -> Path:
    """The virtualenv's bin/ with `eb` and `aws`, installed on the first call only (one
    process at a time: pytest-xdist's workers may all ask at once)."""
    lock = venv.with_name(venv.name + ".lock")
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        return _ensure_clients(venv)


def _ensure_clients(venv: Path) -> Path:
    bin_dir, stamp = venv / "bin", venv / STAMP.name
    wanted = "\n".join(REQUIREMENTS)
    ready = (bin_dir / "eb").exists() and (bin_dir / "aws").exists()
    if ready and stamp.exists() and stamp.read_text() == wanted:
        return bin_dir
    _run_install([sys.executable, "-m", "venv", "--clear", str(venv)])
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet"]
    _run_install([*pip, "--disable-pip-version-check", *REQUIREMENTS])
    stamp.write_text(wanted)
    return bin_dir


def _run_install(command: list[str]) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise ClientsUnavailable(f"{command[-1]}: no answer within {INSTALL_SECONDS} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise ClientsUnavailable(f"installing {' '.join(REQUIREMENTS)} failed: {last}")


@dataclass(frozen=True)
class Done:
    """What a client did: its command line, exit code, output and wall time."""

    command: str
    code: int
    stdout: str
    stderr: str
    seconds: float

    def __str__(self) -> str:
        return (
            f"$ {self.command}\nexit {self.code} after {self.seconds:.1f} s\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


@dataclass(frozen=True)
class Clients:
    """Runs `eb` and `aws` from the conformance virtualenv with a given environment."""

    bin_dir: Path
    env: dict[str, str]

    def eb(self, *args: str, cwd: Path, bound: float, answer: str | None = None) -> Done:
        """`answer`: what a user types at the command's prompts (none: no terminal input)."""
        return self._run("eb", args, cwd, bound, answer)

    def aws(self, *args: str, cwd: Path, bound: float) -> Done:
        return self._run("aws", ("elasticbeanstalk", *args, "--output", "json"), cwd, bound)

    def _run(
        self, tool: str, args: tuple[str, ...], cwd: Path, bound: float, answer: str | None = None
    ) -> Done:
        command = f"{tool} {' '.join(args)}"
        started = time.monotonic()
        try:
            done = subprocess.run(
                [str(self.bin_dir / tool), *args],
                cwd=cwd,
                env=self.env,
                **({"input": answer} if answer is not None else {"stdin": subprocess.DEVNULL}),
                capture_output=True,
                text=True,
                timeout=bound,
                check=False,
            )
        except subprocess.TimeoutExpired as expired:
            raise AssertionError(f"$ {command}\ndid not finish within {bound:.0f} s") from expired
        return Done(command, done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def client_environment(simulator_env: dict[str, str], home: Path) -> dict[str, str]:
    """The simulator's AWS variables and a home of the test's own (no ~/.aws of the user's)."""
    keep = {k: v for k, v in simulator_env.items() if k.startswith("AWS_")}
    return keep | {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
