"""Alembic's environment: migrate the run store's schema (storage.models), offline or online.

`storage.migrate.upgrade` hands over an open connection in `config.attributes["connection"]`;
the `alembic` command line (alembic.ini) connects to BLUEGREEN_DATABASE_URL or the default.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from storage.database import make_engine
from storage.locations import default_database_url
from storage.models import Base

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    configured = config.get_main_option("sqlalchemy.url")
    return configured or os.environ.get("BLUEGREEN_DATABASE_URL") or default_database_url()


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (`alembic upgrade head --sql`)."""
    url = database_url()
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over the given connection, or over a new one to `database_url()`."""
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(database_url())
    try:
        with engine.begin() as own_connection:
            _migrate(own_connection)
    finally:
        engine.dispose()


def _migrate(connection: Connection) -> None:
    # SQLite alters tables by copying them ("batch" mode); other databases alter in place.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
