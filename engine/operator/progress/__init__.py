"""Progress output for a release: picks the renderer for where the output goes.

On a terminal a Rich live view (`progress_live`); unattended, plain timestamped lines or
JSON lines (`progress_lines`). Everything printed goes through `engine.release.redact` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TextIO

from engine.operator.progress.lines import Clock, LinesObserver, json_line, text_line, utc_now
from engine.operator.progress.live import LiveObserver
from engine.release.observer import Observer
from engine.release.redact import Redactor

LOG_FORMATS: tuple[str, ...] = ("auto", "text", "json")


def make_observer(
    stream: TextIO,
    log_format: str = "auto",
    is_tty: bool | None = None,
    *,
    secrets: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
    clock: Clock = utc_now,
) -> Observer:
    """The observer for `--log-format`: "json" lines, plain "text" lines, or "auto" (a live
    view on a terminal, text lines otherwise). `secrets` are extra values to mask (e.g. a
    `--notify-url` given as a flag); credential variables of `environ` are always masked."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown log format {log_format!r}: use one of {', '.join(LOG_FORMATS)}")
    redactor = Redactor.from_environment(environ, secrets)
    if log_format == "json":
        return LinesObserver(stream, json_line, redactor, clock)
    terminal = _is_terminal(stream) if is_tty is None else is_tty
    if log_format == "text" or not terminal:
        return LinesObserver(stream, text_line, redactor, clock)
    return LiveObserver(stream, redactor, clock)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
