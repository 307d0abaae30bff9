"""The exit codes a cron job or CI pipeline can act on (documented in the README)."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What the `bluegreen` process tells its caller."""

    OK = 0  # did what was asked
    ROLLED_BACK = 1  # the release failed and was rolled back: production untouched
    USAGE = 2  # usage, configuration or preflight error: nothing in AWS changed
    TARGET_BUSY = 3  # another unfinished run (or runner) holds the target
    NEEDS_OPERATOR = 4  # failed and could not fully undo: `bluegreen resume RUN_ID` retries
    INTERRUPTED = 130  # stopped by SIGTERM/SIGINT: the run stays resumable
