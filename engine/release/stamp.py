"""Each run is stamped with the engine that created it: the package version, and the revision
of the state machine and facts it was written for. An engine refuses to drive a run of a
revision it does not know (a newer one) instead of guessing what its states and facts mean.

Bump ENGINE_REVISION when a change alters what a stored run means (states, triggers, facts,
their semantics); list in FINISHES the older revisions this engine still drives correctly.
"""

from __future__ import annotations

from importlib import metadata

from engine.domain.errors import ConfigurationError
from engine.domain.model import Run

DISTRIBUTION = "beanstalk-bluegreen"
# 2: release strategies (swap-and-keep, traffic-split) and their states; a revision-1 engine
# would drive a swap-and-keep run as a swap-back one, so it must refuse them.
# 3: swap-and-keep adopting a kept environment (facts.adopted_from_run): a revision-2 engine
# would try to create that green, and a rollback would then terminate the kept environment.
ENGINE_REVISION = 3
# Runs written before runs were stamped (no revision) are revision 1's.
FINISHES = frozenset({1, 2, 3})


class IncompatibleRunError(ConfigurationError):
    """The run was written by an engine whose revision this one cannot drive (exit 2)."""


def engine_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def stamp(run: Run) -> Run:
    """`run`, stamped with this engine's version and revision (at creation)."""
    run.engine_version, run.engine_revision = engine_version(), ENGINE_REVISION
    return run


def require_compatible(run: Run) -> None:
    """Raise IncompatibleRunError (one line, naming the version that can finish it) unless
    this engine can drive `run`."""
    revision = run.engine_revision if run.engine_revision is not None else 1
    if revision in FINISHES:
        return
    written_by = run.engine_version or "an unknown version"
    raise IncompatibleRunError(
        f"run {run.id} was written by bluegreen {written_by} (engine revision {revision}); "
        f"this is bluegreen {engine_version()} (revision {ENGINE_REVISION}), which cannot "
        f"finish it: use bluegreen {written_by} (or a later one that finishes revision "
        f"{revision}); nothing was changed"
    )
