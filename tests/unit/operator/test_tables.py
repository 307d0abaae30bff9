"""The Rich tables of `runs list`, `runs show` and `status` fit the terminal they get."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from engine.operator.views.history import run_detail, run_summary
from engine.operator.views.tables import run_view, runs_table, status_table
from tests.unit.operator.releases import rolled_back_release, succeeded_release


def rendered(renderable, width: int) -> str:
    stream = io.StringIO()
    Console(file=stream, width=width).print(renderable)
    return stream.getvalue()


def summaries() -> list[dict]:
    return [run_summary(h.run, h.transitions) for h in (rolled_back_release(), succeeded_release())]


@pytest.mark.parametrize("width", [60, 80, 110, 160])
def test_runs_list_never_cuts_a_run_id_or_state_whatever_the_width(width: int) -> None:
    text = rendered(runs_table(summaries()), width)
    assert all(len(line) <= width for line in text.splitlines())
    for state in ("rolled_back", "succeeded"):
        assert state in text
    assert "f00dfeed12345678" in text and "a1b2c3d4e5f60718" in text


def test_runs_list_shows_the_error_when_there_is_room() -> None:
    assert "health check failed" in rendered(runs_table(summaries()), 160)
    assert "health check failed" not in rendered(runs_table(summaries()), 100)


def test_an_empty_list_says_so() -> None:
    assert rendered(runs_table([]), 80).strip() == "no runs match"
    assert "every target is free" in rendered(status_table([]), 80)


def test_runs_show_names_the_error_once_when_it_is_the_rollback_reason() -> None:
    history = rolled_back_release()
    text = rendered(run_view(run_detail(history.run, history.transitions, history.events)), 160)
    assert text.count("health check failed: GET /health answered 500") == 1
    assert "Rollback: from 2026-11-26 13:04:29 to 2026-11-26 13:08:26 (3m57s)" in text
