"""`bluegreen metrics --textfile FILE`: the history's metrics, once, for cron users
(node-exporter's textfile collector reads FILE; name it *.prom in its directory)."""

from __future__ import annotations

from pathlib import Path

import click

from engine.domain.errors import BlueGreenError
from engine.domain.exit_codes import ExitCode
from engine.operator.execution import fail
from engine.operator.option_flags import flags_for


@click.command("metrics")
@flags_for("metrics")
def metrics_command(textfile: str | None, database_url: str | None) -> None:
    """Write the run history's Prometheus metrics to a textfile, once."""
    if not textfile:
        raise click.UsageError("missing --textfile FILE: the .prom file to write")
    try:
        from engine.operator.metrics.serve import history_book, write_textfile
    except ImportError as error:
        fail(ExitCode.USAGE, f"needs the metrics extra: pip install "
             f"'beanstalk-bluegreen[metrics]' ({error})")  # fmt: skip
    from engine.operator.settings import load_settings
    from storage.queue import SqlRunQueue
    from storage.sql import open_store

    try:
        settings = load_settings({"BLUEGREEN_DATABASE_URL": database_url})
        store = open_store(settings.database_url)
    except BlueGreenError as error:
        fail(ExitCode.USAGE, str(error))
    try:
        write_textfile(history_book(store, SqlRunQueue(store.engine)), Path(textfile))
    except OSError as error:
        fail(ExitCode.USAGE, f"cannot write {textfile}: {error.strerror or error}")
    finally:
        store.close()
    click.echo(f"wrote {textfile}")
