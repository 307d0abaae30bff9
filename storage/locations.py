"""Where the embedded SQLite history lives by default (no SQLAlchemy: the read path uses it)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def default_database_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_STATE_HOME/bluegreen/runs.db`, or `~/.local/state/bluegreen/runs.db` when unset."""
    env = os.environ if environ is None else environ
    state_home = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "bluegreen" / "runs.db"


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """The embedded SQLite database's URL (the file is created by `make_engine`)."""
    return f"sqlite:///{default_database_path(environ)}"
