"""Where `runs report` and `runs export` may write: never over the run history (the SQLite
file or its -wal/-shm/-journal companions), and over another existing file only if it is one
of their own outputs, or with --force. Written whole or not at all (a temporary file, then a
rename), readable by its owner and group only when new.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path

REPORT_MARK = b'<meta name="generator" content="bluegreen">'
EXPORT_KEYS = frozenset({"id", "state", "inputs", "outcome", "transitions", "events"})
SNIFF_BYTES = 2048
EXPORT_SNIFF_LIMIT = 256 * 1024 * 1024  # a file this big is read to see if it is an export
_SQLITE_URL = re.compile(r"sqlite(\+\w+)?:///(?P<path>[^?]+)")


class OutputRefused(Exception):
    """The output path may not be written; the message says why (one line)."""


def history_files(database_url: str) -> list[Path]:
    """The files of a SQLite history (none for another database or an in-memory one)."""
    found = _SQLITE_URL.fullmatch(database_url.split("?", 1)[0])
    if found is None or found["path"] in (":memory:", ""):
        return []
    base = Path(found["path"])
    return [base, *(base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal"))]


def check_output(path: Path, kind: str, database_url: str, force: bool) -> None:
    """Raise OutputRefused unless `path` may take a new `kind` ("report" or "export")."""
    if any(_same_file(path, history) for history in history_files(database_url)):
        raise OutputRefused(f"{path} is the run history database: write elsewhere")
    if not path.exists() or force:
        return
    if not path.is_file():
        raise OutputRefused(f"{path} is not a regular file")
    if not _is_own(path, kind):
        raise OutputRefused(
            f"{path} exists and is not a bluegreen {kind}: give another file or --force"
        )


def write_output(path: Path, text: str) -> None:
    """Write `text` to `path` at once: a reader sees the old file or the new one, never half."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o640)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve() or (
            path.exists() and other.exists() and path.samefile(other)
        )
    except OSError:
        return False


def _is_own(path: Path, kind: str) -> bool:
    try:
        if kind == "report":
            with path.open("rb") as stream:
                return REPORT_MARK in stream.read(SNIFF_BYTES)
        if path.stat().st_size > EXPORT_SNIFF_LIMIT:
            return False
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.keys() >= EXPORT_KEYS
