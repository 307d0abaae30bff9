"""The migration scripts: where they are and which revisions are their heads, read without
importing Alembic or SQLAlchemy (so a read command can tell whether a migration is pending)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from engine.domain.errors import StoreError


def script_location() -> Path:
    """The migration scripts: packaged in the wheel, or the checkout's `alembic/`."""
    here = Path(__file__).resolve().parent
    candidates = (here / "migrations", here.parent / "alembic")
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate
    looked = " and ".join(str(c) for c in candidates)
    raise StoreError(f"the run store's migration scripts are missing (looked in {looked})")


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+)$", re.MULTILINE)


def head_revisions() -> set[str]:
    """The newest revisions of the scripts, read from their `revision`/`down_revision`
    assignments (literals, read with `ast.literal_eval`; nothing is imported or run)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (script_location() / "versions").glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found.get("down_revision", "None"))
        parents.update([down] if isinstance(down, str) else down or ())
    return revisions - parents
