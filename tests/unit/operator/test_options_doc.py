"""docs/options.md is generated from the declaration, and the README's tables name only
declared flags and variables."""

from __future__ import annotations

import re
from pathlib import Path

from engine.operator.option_table import OPTIONS
from engine.operator.options_doc import DOC, main, render
from engine.operator.pipeline.inputs import STEP_VARIABLES

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


def test_every_flag_and_variable_a_readme_table_names_is_declared() -> None:
    """The README (being split into docs/ pages) may still restate settings in its tables:
    none of them may name a flag or BLUEGREEN_* variable that no option declares."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = "\n".join(line for line in readme.splitlines() if line.startswith("|"))
    flags = {name for option in OPTIONS for name in option.cli_flags}
    variables = {variable for option in OPTIONS for variable in option.variables}

    named_flags = set(re.findall(r"`(--[a-z][a-z0-9-]*)", rows))
    named_variables = set(re.findall(r"`(BLUEGREEN_[A-Z0-9_]+)`", rows))

    assert named_flags - flags == set()
    assert named_variables - variables - set(STEP_VARIABLES.values()) == set()
