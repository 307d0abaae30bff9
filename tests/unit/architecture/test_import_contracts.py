"""The layering stated in pyproject.toml holds, and a wrong import breaks it (import-linter)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("engine", "states", "storage", "cloud", "simulator")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def copy_of_the_tree(destination: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, destination / package)
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LINT_IMPORTS.exists():
        pytest.skip("lint-imports is not installed (the dev extra brings import-linter)")
    return copy_of_the_tree(tmp_path_factory.mktemp("tree"))


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("states/swapping.py", "import boto3", "steps (states/) use only the domain"),
        ("engine/domain/model.py", "import storage.sql", "the domain imports nothing else"),
        ("engine/release/drive.py", "import engine.operator.cli", "engine layers"),
        ("storage/sql.py", "import cloud.beanstalk", "storage/ is the SQLAlchemy adapter"),
    ],
)
def test_a_wrong_import_breaks_its_contract(
    tree: Path, tmp_path: Path, module: str, line: str, contract: str
) -> None:
    broken = copy_of_the_tree(tmp_path / "broken")
    path = broken / module
    path.write_text(path.read_text() + f"\n{line}  # deliberate violation\n")
    result = lint_imports(broken)
    assert result.returncode != 0
    broken_lines = [text for text in result.stdout.splitlines() if "BROKEN" in text]
    assert any(contract in text for text in broken_lines), result.stdout


LAYERS = ("engine.domain", "engine.release", "engine.operator", "states", "storage", "cloud")


def test_no_two_layers_import_each_other_even_indirectly() -> None:
    import grimp

    graph = grimp.build_graph("engine", "states", "storage", "cloud", "simulator")
    both_ways = [
        (a, b)
        for a in LAYERS
        for b in LAYERS
        if a < b
        and graph.chain_exists(importer=a, imported=b, as_packages=True)
        and graph.chain_exists(importer=b, imported=a, as_packages=True)
    ]
    assert both_ways == []
