"""Pages of docs/ that restate code are generated from it; these fail when they drift."""

from __future__ import annotations

from tests.docs import lifecycle_doc


def test_the_lifecycle_page_shows_the_lifecycle_table() -> None:
    page = lifecycle_doc.PAGE.read_text(encoding="utf-8")
    assert page == lifecycle_doc.rendered(page), (
        "docs/lifecycle.md is out of date: run `python -m tests.docs.lifecycle_doc`"
    )
