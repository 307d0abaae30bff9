"""Running `bluegreen` as a user types it: a subprocess configured like the replaced tool.

`Cli.run` waits for the command; `Cli.start` returns a `Running` process whose output lines
are read on a thread, so a test can wait (with a deadline) for a line before acting.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.domain.ports.store import RunQuery
from simulator import Simulator
from storage.sql import SqlRunStore, open_store

APP, BLUE, GREEN = "shop", "shop-blue", "shop-green"
# Where the crash tests' hook module lives (not installed): on the CLI processes' PYTHONPATH.
CRASH_HOOKS_DIR = Path(__file__).parents[1] / "plugins"


def with_crash_hooks(env: dict[str, str]) -> dict[str, str]:
    """`env` with the crash tests' hook importable (BLUEGREEN_TEST_CRASH_AT loads it)."""
    path = [str(CRASH_HOOKS_DIR), *filter(None, [env.get("PYTHONPATH")])]
    return {**env, "PYTHONPATH": os.pathsep.join(path)}


TIMEOUT = 60.0


def command_line(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "bluegreen"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "engine.operator.cli"]
    return [*prefix, *args]


@dataclass(frozen=True)
class Done:
    """A finished `bluegreen` process."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def run_id(self) -> str:
        first = self.stdout.splitlines()[0] if self.stdout else ""
        assert first.startswith("run "), f"no run id first: {self.stdout!r} {self.stderr!r}"
        return first.split()[1]

    def __str__(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


@dataclass
class Running:
    """A `bluegreen` process still running; its stdout lines arrive in `lines`."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _arrived: queue.Queue[str | None] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._arrived.put(line.rstrip("\n"))
        self._arrived.put(None)

    def wait_for_line(self, wanted: Callable[[str], bool], timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._arrived.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no such line within {timeout} s: {self.lines}") from None
            if line is None:
                raise AssertionError(f"the process ended first: {self.lines}")
            self.lines.append(line)
            if wanted(line):
                return line

    def finish(self, timeout: float = TIMEOUT) -> Done:
        self.process.wait(timeout)
        assert self.process.stderr is not None
        stderr = self.process.stderr.read()
        while (line := self._arrived.get(timeout=5)) is not None:
            self.lines.append(line)
        return Done(self.process.returncode, "\n".join(self.lines), stderr)


@dataclass
class Cli:
    """`bluegreen` against the simulator, with a history database of the test's own."""

    sim: Simulator
    home: Path
    env: dict[str, str] = field(default_factory=dict)
    database_url: str = ""  # default: a SQLite file in `home`

    def __post_init__(self) -> None:
        self.database_url = self.database_url or f"sqlite:///{self.database_path}"
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BLUEGREEN_"))
        }
        self.env = {
            **with_crash_hooks(inherited),
            **self.sim.client_env(),
            "AWS_CONFIG_FILE": str(self.home / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.home / "no-aws-credentials"),
            "XDG_STATE_HOME": str(self.home / "state"),
            "BLUEGREEN_DATABASE_URL": self.database_url,
            "BLUEGREEN_HEALTH_INTERVAL": "0.05",
            "BLUEGREEN_HEALTH_SUCCESSES": "2",
            "BLUEGREEN_HEALTH_DEADLINE": "2",
            "BLUEGREEN_HEALTH_GRACE": "0.5",
            "BLUEGREEN_DNS_SETTLE": str(self.sim.dns_settle_seconds),
            "BLUEGREEN_LOG_FORMAT": "text",
            **self.env,
        }

    @property
    def database_path(self) -> Path:
        return self.home / "runs.db"

    def replaced_tool_env(self, version: str | None = None) -> dict[str, str]:
        """The variables the replaced tool's users set (no flags needed)."""
        variables = {"BEANSTALK_APP_NAME": APP, "BLUE_ENV_NAME": BLUE, "GREEN_ENV_NAME": GREEN}
        return variables | ({"VERSION_LABEL": version} if version else {})

    def run(self, *args: str, timeout: float = TIMEOUT, **env: str) -> Done:
        done = subprocess.run(
            command_line(*args), env={**self.env, **env}, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        return Done(done.returncode, done.stdout, done.stderr)

    def start(self, *args: str, **env: str) -> Running:
        process = subprocess.Popen(
            command_line(*args), env={**self.env, **env}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        return Running(process)

    def store(self) -> SqlRunStore:
        return open_store(self.database_url)

    def history_is_empty(self) -> bool:
        """No run recorded (on SQLite: not even the database file was created)."""
        if self.database_url.startswith("sqlite"):
            return not self.database_path.exists()
        store = self.store()
        try:
            return store.list_runs(RunQuery()) == []
        finally:
            store.close()

    def states(self, run_id: str) -> list[str]:
        store = self.store()
        try:
            return [t.to_state.value for t in store.transitions(run_id)]  # type: ignore[arg-type]
        finally:
            store.close()
