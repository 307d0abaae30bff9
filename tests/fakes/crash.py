"""The Crash a fake raises to play a process that died right after an AWS call took effect."""

from __future__ import annotations


class Crash(BaseException):
    """The process died right after an AWS call took effect (BaseException: no step catches it)."""
