"""`bluegreen metrics --textfile FILE`: the history's metrics, once, for cron users
(node-exporter's textfile collector reads FILE; name it *.prom in its directory)."""

from __future__ import annotations

from pathlib import Path

import click

from engine.domain.errors import BlueGreenError
from engine.domain.exit_codes import ExitCode
from engine.operator.execution import fail


@click.command("metrics")
@click.option("--textfile", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .prom file to write (atomically).")  # fmt: skip
@click.option("--database-url", help="The run history (BLUEGREEN_DATABASE_URL).")
def metrics_command(textfile: Path, database_url: str | None) -> None:
    """Write the run history's Prometheus metrics to a textfile, once."""
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
        write_textfile(history_book(store, SqlRunQueue(store.engine)), textfile)
    except OSError as error:
        fail(ExitCode.USAGE, f"cannot write {textfile}: {error.strerror or error}")
    finally:
        store.close()
    click.echo(f"wrote {textfile}")
