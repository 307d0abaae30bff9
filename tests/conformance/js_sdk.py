"""The AWS SDK for JavaScript v3 (`@aws-sdk/client-elastic-beanstalk`, `@aws-sdk/client-s3`,
pinned in js/package.json) installed from the npm registry into `.node-conformance` (outside
the package, gitignored), once and reused while package.json is unchanged, as
`.venv-conformance` is for the Python clients (clients.py)."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

from tests.conformance.clients import INSTALL_SECONDS, ROOT, ClientsUnavailable

SOURCE = Path(__file__).resolve().parent / "js"
PREFIX = ROOT / ".node-conformance"


def ensure_js_sdk(prefix: Path = PREFIX) -> Path:
    """The directory holding conformance.mjs and its node_modules (one process at a time)."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise ClientsUnavailable(
                f"`{tool}` is not installed (Debian: apt-get install nodejs npm)"
            )
    prefix.mkdir(exist_ok=True)
    with (prefix.with_name(prefix.name + ".lock")).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        return _ensure(prefix)


def _ensure(prefix: Path) -> Path:
    wanted = (SOURCE / "package.json").read_text()
    stamp = prefix / ".installed"
    shutil.copy(SOURCE / "conformance.mjs", prefix / "conformance.mjs")
    if stamp.exists() and stamp.read_text() == wanted and (prefix / "node_modules").is_dir():
        return prefix
    (prefix / "package.json").write_text(wanted)
    command = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        done = subprocess.run(
            command,
            cwd=prefix,
            capture_output=True,
            text=True,
            timeout=INSTALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ClientsUnavailable(f"npm install: no answer within {INSTALL_SECONDS} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise ClientsUnavailable(f"npm install of the AWS SDK for JavaScript failed: {last}")
    stamp.write_text(wanted)
    return prefix
