"""The fast reader's SQL text is the SQL store's own statements compiled for SQLite: the
generated module is what they compile to now, and binds every value."""

from __future__ import annotations

from storage import build_sql_text, sql_text
from storage.mapping import LIST_FILTERS


def test_the_generated_sql_text_is_what_the_store_statements_compile_to() -> None:
    written = build_sql_text.TARGET.read_text(encoding="utf-8")
    assert written == build_sql_text.source(), f"stale: run `{build_sql_text.COMMAND}`"


def test_the_check_mode_reports_a_stale_file_without_writing_it() -> None:
    assert build_sql_text.main(["--check"]) == 0


def test_every_value_is_a_bound_parameter_never_text_in_the_statement() -> None:
    for sql, _constants in _statements():
        assert "'" not in sql and '"' not in sql, sql


def test_every_combination_of_list_filters_has_its_statement() -> None:
    assert len(sql_text.LIST_RUNS) == 2 ** (len(LIST_FILTERS) + 1)
    assert all("limit" not in key[:-1] for key in sql_text.LIST_RUNS)


def _statements() -> list[sql_text.Statement]:
    single = [value for name, value in vars(sql_text).items() if name.isupper()]
    return [s for s in single if isinstance(s, tuple)] + list(sql_text.LIST_RUNS.values())
