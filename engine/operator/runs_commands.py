"""`bluegreen runs ...` and `bluegreen status`: read (and prune) the run history.

Thin click commands: the documents come from `engine.operator.views.history`, the tables from
`engine.operator.views.tables`, the page from `engine.operator.views.report`. Everything
printed is redacted.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from engine.domain.errors import BlueGreenError
from engine.domain.exit_codes import ExitCode
from engine.domain.model import Run, RunId, State
from engine.domain.ports.store import RunHistory, RunQuery
from engine.operator.ages import age_in_days
from engine.operator.option_flags import flags_for
from engine.operator.views.document import iso
from engine.operator.views.history import run_detail, run_summary
from engine.operator.views.status import UNFINISHED_STATES, ago, parse_since, status_row
from engine.release.redact import Redactor

NON_TERMINAL_WIDTH = 160


class HistoryError(click.ClickException):
    """A one-line error of a history command (unknown run, unreachable database)."""

    exit_code = int(ExitCode.USAGE)


@contextmanager
def opened_store(url: str | None, sql: bool = False) -> Iterator[RunHistory]:
    """The store at `url`, closed after the block; store errors become one-line errors.
    `sql`: the SQL store (to prune), not the fast reader."""
    # The database adapter loads only when a command reads the history (not for --help).
    from storage.history import open_history

    try:
        store = open_history(url, sql)
        say_which_history(url, store)
        try:
            yield store
        finally:
            store.close()
    except BlueGreenError as error:
        raise HistoryError(str(error)) from error


def say_which_history(url: str | None, store: RunHistory) -> None:
    """One stderr line naming the history read (stdout stays the document), and a warning
    when it does not exist: a mistyped path must not read as an empty, free history."""
    from storage.empty import EmptyHistory
    from storage.locations import default_database_url

    shown = Redactor.from_environment().text(url or default_database_url())
    origin = "" if url else " (the default; --database-url or BLUEGREEN_DATABASE_URL to change)"
    if isinstance(store, EmptyHistory):
        click.echo(
            f"bluegreen: warning: the history {shown}{origin} does not exist: no run was "
            "ever recorded there (nothing was created)",
            err=True,
        )
    else:
        click.echo(f"bluegreen: history {shown}{origin}", err=True)


def history_exists(store: RunHistory) -> bool:
    from storage.empty import EmptyHistory

    return not isinstance(store, EmptyHistory)


def now_utc() -> datetime:
    return datetime.now(UTC)


RichTable = Callable[[Any], Any]  # a view: document -> Rich renderable


# The views a command prints, loaded on first use (Rich loads only for a table: `--json` and
# cron never pay for it); typed, so mypy sees every view a command names.
def runs_table() -> RichTable:
    from engine.operator.views.tables import runs_table

    return runs_table


def run_view() -> RichTable:
    from engine.operator.views.tables import run_view

    return run_view


def status_table() -> RichTable:
    from engine.operator.views.tables import status_table

    return status_table


def workers_table() -> RichTable:
    from engine.operator.views.workers import workers_table

    return workers_table


def emit(document: Any, as_json: bool, view: Callable[[], RichTable]) -> None:
    """Print a document redacted, as JSON or as the Rich table `view()` returns."""
    safe = Redactor.from_environment().data(document)
    if as_json:
        click.echo(json.dumps(safe, indent=2))
        return
    from rich.console import Console

    table = view()
    terminal = sys.stdout.isatty()
    width = None if terminal or os.environ.get("COLUMNS") else NON_TERMINAL_WIDTH
    Console(file=sys.stdout, width=width, highlight=False).print(table(safe))


def summary_of(store: RunHistory, run: Run) -> dict[str, Any]:
    # Only a run without finished_at needs its transitions to know how long it lasted.
    finished = run.state.is_final and run.finished_at is not None
    return run_summary(run, [] if finished else store.transitions(run.id))


def detail_of(store: RunHistory, run_id: str) -> dict[str, Any]:
    run = store.get(RunId(run_id))
    return run_detail(run, store.transitions(run.id), store.events(run.id))


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_since(text, now_utc())
    except (ValueError, OverflowError) as error:
        message = str(error) if isinstance(error, ValueError) else f"{text!r} is too far back"
        raise click.BadParameter(message, param_hint="'--since'") from None


@click.group("runs")
def runs_group() -> None:
    """The history of releases: list, show, report, export, prune."""


@runs_group.command("list")
@flags_for("runs list")
def list_command(
    app_filter: str | None,
    blue_filter: str | None,
    batch_filter: str | None,
    states: tuple[str, ...],
    since: str | None,
    limit: int,
    as_json: bool,
    database_url: str | None,
) -> None:
    """List runs, newest first."""
    chosen = tuple(State(s) for s in states)
    query = RunQuery(app_filter, blue_filter, chosen, _since(since), limit, batch_filter)
    with opened_store(database_url) as store:
        rows = [summary_of(store, run) for run in store.list_runs(query)]
    emit(rows, as_json, runs_table)


@runs_group.command("show")
@click.argument("run_id")
@flags_for("runs show")
def show_command(run_id: str, as_json: bool, database_url: str | None) -> None:
    """A run's inputs, facts, timeline of steps, events, error and rollback."""
    with opened_store(database_url) as store:
        detail = detail_of(store, run_id)
    emit(detail, as_json, run_view)


@runs_group.command("export")
@click.argument("run_id")
@flags_for("runs export")
def export_command(run_id: str, output: str | None, force: bool, database_url: str | None) -> None:
    """A run's whole history as JSON (the same document as `runs show --json`), on standard
    output or into FILE."""
    if output is None:
        with opened_store(database_url) as store:
            detail = detail_of(store, run_id)
        emit(detail, True, run_view)
        return
    path = _writable(output, "export", database_url, force)
    with opened_store(database_url) as store:
        detail = detail_of(store, run_id)
    text = json.dumps(Redactor.from_environment().data(detail), indent=2) + "\n"
    _write(path, text)
    click.echo(f"wrote {path} (run {detail['id']}, {detail['state']})")


@runs_group.command("report")
@click.argument("run_id")
@flags_for("runs report")
def report_command(run_id: str, output: str | None, force: bool, database_url: str | None) -> None:
    """Write a self-contained HTML post-mortem of a run (timeline chart, events)."""
    if output is None:
        raise click.UsageError("missing --output FILE: the HTML file to write")
    path = _writable(output, "report", database_url, force)
    with opened_store(database_url) as store:
        detail = detail_of(store, run_id)
    from engine.operator.views.report import render_report

    _write(path, render_report(Redactor.from_environment().data(detail), now_utc()))
    click.echo(f"wrote {path} (run {detail['id']}, {detail['state']})")


def _writable(output: str, kind: str, database_url: str | None, force: bool) -> Path:
    """The output path, refused (exit 2) over the history or a file not of this kind."""
    from engine.operator.output_files import OutputRefused, check_output
    from storage.locations import default_database_url

    path = Path(output)
    try:
        check_output(path, kind, database_url or default_database_url(), force)
    except OutputRefused as refused:
        raise HistoryError(str(refused)) from None
    return path


def _write(path: Path, text: str) -> None:
    from engine.operator.output_files import write_output

    try:
        write_output(path, text)
    except OSError as error:
        raise HistoryError(f"cannot write {path}: {error.strerror or error}") from error


@runs_group.command("prune")
@flags_for("runs prune")
def prune_command(older_than: str | None, database_url: str | None) -> None:
    """Delete old finished runs and their history; unfinished runs are always kept."""
    if older_than is None:
        raise click.UsageError("missing --older-than AGE: e.g. 30 (days), 7d, 12h")
    try:
        days = age_in_days(older_than)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--older-than'") from None
    cutoff = ago(now_utc(), days=days)
    with opened_store(database_url, sql=True) as store:
        deleted = store.prune(cutoff)
    noun = "run" if deleted == 1 else "runs"
    click.echo(f"deleted {deleted} {noun} finished before {iso(cutoff)}")


@click.command("status")
@flags_for("status")
def status_command(app_filter: str | None, as_json: bool, database_url: str | None) -> None:
    """Unfinished and waiting runs: what each waits for and who holds it."""
    query = RunQuery(app=app_filter, states=UNFINISHED_STATES, limit=None)
    now = now_utc()
    with opened_store(database_url) as store:
        rows = [status_row(run, store.transitions(run.id), now) for run in store.list_runs(query)]
        fleet = pool_document(store, now)
        exists = history_exists(store)
    if not exists and not as_json:  # not "every target is free": nothing is known of any
        click.echo("no history there: nothing is known of any target (see the warning above)")
        return
    emit(rows, as_json, status_table)
    if fleet is not None and not as_json:  # --json keeps its list of runs; `workers` has JSON
        emit(fleet, False, workers_table)


@click.command("workers")
@flags_for("workers")
def workers_command(as_json: bool, database_url: str | None) -> None:
    """The worker pool: registered workers (host, pid, runs held, heartbeat) and the queue."""
    with opened_store(database_url) as store:
        from engine.operator.views.workers import workers_document

        fleet = pool_document(store, now_utc()) or workers_document([], [], now_utc())
    emit(fleet, as_json, workers_table)


def pool_document(store: RunHistory, now: datetime) -> dict[str, Any] | None:
    """Workers and queue of a history (None for a history that does not exist yet)."""
    from engine.operator.views.workers import workers_document
    from storage.history import pool_of

    pool = pool_of(store)
    if pool is None:
        return None
    try:
        return workers_document(pool.workers(), pool.queued(), now)
    except BlueGreenError as error:
        raise HistoryError(str(error)) from error
