"""Database errors in plain words: what a driver's message means to an operator, followed by
the driver's own words (in parentheses) for a search or a bug report. No SQLAlchemy here: the
fast SQLite reader uses it too."""

from __future__ import annotations

# A fragment of the driver's message (lower-cased) -> what it means.
MEANINGS: tuple[tuple[str, str], ...] = (
    ("database is locked", "the SQLite file stayed locked by another process (a runner "
     "writing to it) for too long; try again"),
    ("unable to open database file", "the SQLite file cannot be opened: its folder is missing "
     "or not writable by this user"),
    ("readonly database", "the SQLite file is read-only for this user"),
    ("database or disk is full", "the disk holding the history is full"),
    ("disk i/o error", "the disk failed while reading or writing the history"),
    ("file is not a database", "the file is not a SQLite database"),
    ("no such table", "the database holds no bluegreen history (a table is missing)"),
    ("connection refused", "nothing answers at the database server's host and port (is it "
     "running, and is the URL right?)"),
    ("could not translate host name", "the database server's host name does not resolve"),
    ("timeout expired", "the database server did not answer in time"),
    ("password authentication failed", "the database server refused the user or password"),
    ("no password supplied", "the database server asks for a password the URL does not give"),
    ("server closed the connection", "the database server closed the connection"),
)  # fmt: skip


def in_plain_words(message: str) -> str:
    """`meaning (driver's words)` when the message is one of the known ones, else as it is."""
    lowered = message.lower()
    meaning = next((plain for fragment, plain in MEANINGS if fragment in lowered), None)
    return f"{meaning} ({message})" if meaning else message
