"""The tables of docs/lifecycle.md, rendered from the lifecycle table (`engine.domain.lifecycle`).

`python -m tests.docs.lifecycle_doc` rewrites them in place; tests/docs/test_docs.py fails
when the page and the table disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from engine.domain.lifecycle import LIFECYCLE, TRANSITIONS, VERDICTS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"
BEGIN, END = "<!-- generated: lifecycle tables -->", "<!-- end of generated tables -->"


def tables() -> str:
    lines = [
        "| state | kind | what happens | a worker drives it | frees the target | on failure |"
        " outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    for info in LIFECYCLE:
        verdict = info.verdict.name if info.verdict else "-"
        failure = info.on_failure.value if info.on_failure else "-"
        lines.append(
            f"| `{info.state.value}` | {info.kind.value} | {info.does} | "
            f"{'yes' if info.worker_drives else 'no'} | {'yes' if info.frees_target else 'no'} | "
            f"{failure} | {verdict} |"
        )
    lines += ["", "| trigger | from | to |", "|---|---|---|"]
    for row in TRANSITIONS:
        sources = ", ".join(f"`{s.value}`" for s in row.sources)
        lines.append(f"| `{row.trigger.value}` | {sources} | `{row.dest.value}` |")
    lines += ["", "| outcome | exit code | what it means |", "|---|---|---|"]
    for verdict in VERDICTS:
        lines.append(f"| `{verdict.name}` | {int(verdict.exit_code)} | {verdict.meaning} |")
    return "\n".join(lines)


def rendered(page: str) -> str:
    head, rest = page.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{tables()}\n{END}{tail}"


if __name__ == "__main__":
    PAGE.write_text(rendered(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
