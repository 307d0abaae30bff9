"""Persistence of runs, transitions and events: SQLAlchemy models, unit of work, migrations."""
