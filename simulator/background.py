"""A simulator in the background: `serve --background --env-file PATH` and `stop`.

`serve --background` starts `serve` again as a detached process (its own session, its output
in PATH.log, none of it on the caller's stdout, so `eval "$(...)"` and `source <(...)` return),
waits until that process has written the exports to PATH, prints them, and returns. The env
file also names the process (`BLUEGREEN_SIMULATOR_PID`), which is how `stop` finds it.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

PID_VARIABLE = "BLUEGREEN_SIMULATOR_PID"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


class BackgroundError(RuntimeError):
    """The background simulator could not be started or stopped; the message says why."""


def env_file_text(exports: Mapping[str, str], pid: int) -> str:
    """`export NAME=value` lines (shell-quoted) for the client settings and the server's pid."""
    lines = [f"export {name}={shlex.quote(value)}" for name, value in exports.items()]
    lines.append(f"export {PID_VARIABLE}={pid}")
    return "\n".join(lines) + "\n"


def write_env_file(path: Path, exports: Mapping[str, str]) -> None:
    """Written whole (a temporary file renamed), readable by its owner only: a reader never
    sees half a file, and the dummy credentials stay private like real ones would."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(env_file_text(exports, os.getpid()))
    partial.replace(path)


def remove_env_file(path: Path) -> None:
    """Removes PATH if it still names this process (a newer simulator may have replaced it)."""
    if read_pid(path) == os.getpid():
        path.unlink(missing_ok=True)


def read_pid(path: Path) -> int | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if name == PID_VARIABLE and value.isdigit():
            return int(value)
    return None


def start_background(path: Path, serve_args: Sequence[str]) -> str:
    """Start `serve SERVE_ARGS --env-file PATH` detached; the env file's text once it is up."""
    running = _live_simulator(path)
    if running is not None:
        raise BackgroundError(
            f"a simulator already serves for {path} (pid {running}); "
            f"`bluegreen simulator stop --env-file {path}` stops it"
        )
    path.unlink(missing_ok=True)
    log = path.with_name(path.name + ".log")
    command = [sys.executable, "-m", "simulator.cli", "serve", *serve_args, "--env-file", str(path)]
    with open(log, "wb") as out, open(os.devnull, "rb") as nothing:
        child = subprocess.Popen(  # noqa: S603 - our own module with the caller's options
            command, stdin=nothing, stdout=out, stderr=out, start_new_session=True
        )
    return _await_env_file(path, child, log)


def _await_env_file(path: Path, child: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if read_pid(path) == child.pid:
            return path.read_text()
        if child.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
            raise BackgroundError(f"the simulator exited with {child.returncode}: {tail[0]}")
        time.sleep(0.05)
    child.terminate()
    raise BackgroundError(f"the simulator did not start within {START_TIMEOUT:.0f} s (see {log})")


def stop_background(path: Path) -> int:
    """SIGTERM the simulator PATH names and wait for it to exit; its pid."""
    pid = _live_simulator(path)
    if pid is None:
        path.unlink(missing_ok=True)
        raise BackgroundError(f"no simulator is running for {path}")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        raise BackgroundError(f"the simulator (pid {pid}) did not stop within {STOP_TIMEOUT:.0f} s")
    path.unlink(missing_ok=True)
    return pid


def _live_simulator(path: Path) -> int | None:
    """The pid in PATH if that process is alive and is a simulator (not a reused pid)."""
    pid = read_pid(path)
    if pid is None or not _alive(pid):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return pid  # no /proc (macOS): trust the file
    return pid if b"simulator" in cmdline else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie of ours (the parent has not reaped it yet) has stopped serving
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"
