"""docs/options.md is generated from the declaration, and the README points at it instead of
restating the settings."""

from __future__ import annotations

from pathlib import Path

from engine.operator.option_table import OPTIONS
from engine.operator.options_doc import DOC, main, render

ROOT = Path(__file__).resolve().parents[3]


def test_docs_options_md_is_what_the_declaration_generates() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/options.md is out of date: run python -m engine.operator.options_doc"
    )
    assert main(["--check"]) == 0


def test_every_flag_and_variable_is_on_the_page() -> None:
    page = render()

    for option in OPTIONS:
        for variable in option.variables:
            assert f"`{variable}`" in page
        if option.flag:
            assert f"`{option.cli_flag}`" in page


def test_the_readme_links_the_options_page_and_keeps_no_settings_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "(docs/options.md)" in readme
    assert "| flag | variable |" not in readme
    assert "Every tuning number must be finite" not in readme  # ranges: on the options page
