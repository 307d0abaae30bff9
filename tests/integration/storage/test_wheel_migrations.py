"""An installed wheel carries its migrations and applies them, with no checkout around."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from storage.migrate import head_revisions

REPO = Path(__file__).resolve().parents[3]

OPEN_STORE_FROM_WHEEL = """
import sys
site, url = sys.argv[1], sys.argv[2]
sys.path.insert(0, site)
from storage import migrate
from storage.sql import open_store
assert migrate.__file__.startswith(site), migrate.__file__
location = migrate.script_location()
assert str(location).startswith(site), location
store = open_store(url)
print(location.relative_to(site), *sorted(migrate.current_revisions(store.engine)))
store.close()
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)]
    subprocess.run(command, check=True, timeout=300, capture_output=True)
    [built] = dist.glob("*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_ships_the_migrations_inside_storage_and_no_alembic_package(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"env.py", "script.py.mako", "versions/0001_initial.py"}
    assert {f"storage/migrations/{name}" for name in expected} <= names
    assert not [n for n in names if n.startswith("alembic/") or "__pycache__" in n]


@pytest.mark.slow
def test_a_store_opened_from_the_unpacked_wheel_migrates_with_the_wheels_scripts(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    command = [sys.executable, "-I", "-c", OPEN_STORE_FROM_WHEEL, str(site), url]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["storage/migrations", *sorted(head_revisions())]
