"""Pages of docs/ that restate code are generated from it; these fail when they drift."""

from __future__ import annotations

import re

from tests.docs import lifecycle_doc


def test_the_lifecycle_page_shows_the_lifecycle_table() -> None:
    page = lifecycle_doc.PAGE.read_text(encoding="utf-8")
    assert page == lifecycle_doc.rendered(page), (
        "docs/lifecycle.md is out of date: run `python -m tests.docs.lifecycle_doc`"
    )


ROOT = lifecycle_doc.PAGE.parents[1]
LINK = re.compile(r"\]\((?!https?://|#)([^)#\s]+)(?:#[^)]*)?\)")


def test_the_readme_is_a_guide_of_at_most_350_lines() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 350


def test_every_relative_link_of_the_readme_and_docs_names_a_file_that_exists() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = [
        f"{page.relative_to(ROOT)} -> {target}"
        for page in pages
        for target in LINK.findall(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert broken == []
