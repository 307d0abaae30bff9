"""The HTML report as a browser draws it: Debian's chromium, headless, with no network.

Skipped (with the reason) where chromium is not installed, unless CI=true: there it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.operator.views.report_chart import MARKER_COLOURS, ROW, STATE_COLOURS, TOP
from tests.integration.operator.conftest import Releases
from tests.integration.operator.png import hex_colour, read_pixels, size

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    # Nothing may be fetched: the page must be whole on its own.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)
CHART_WIDTH = 1000


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "chromium is missing in CI: apt-get install -y --no-install-recommends chromium"
            )
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); CI has it")
    return path


def run_chromium(chromium: str, profile: Path, *args: str) -> str:
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Elements(HTMLParser):
    """Every element Chromium serialized: (tag, attributes)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    def with_class(self, word: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.found if word in attrs.get("class", "").split()]


def write_report(releases: Releases, run_id: str, path: Path) -> str:
    result = releases.cli("report", run_id, "--output", str(path))
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def test_the_report_is_self_contained(releases: Releases, tmp_path: Path) -> None:
    html = write_report(releases, releases.rolled_back.run.id, tmp_path / "report.html")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", html, re.IGNORECASE)


def test_chromium_draws_every_step_of_a_rolled_back_run_and_marks_the_failed_probe(
    releases: Releases, chromium: str, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    write_report(releases, releases.rolled_back.run.id, report)
    dom = Elements(run_chromium(chromium, tmp_path / "profile", "--dump-dom", report.as_uri()))
    drawn_steps = [attrs["data-state"] for attrs in dom.with_class("step")]
    assert drawn_steps == [
        "preflight", "cloning", "swapping", "deploying", "verifying", "rolling_back"
    ]  # fmt: skip
    assert len(dom.with_class("probe-failed")) == 2
    assert dom.with_class("lane-error"), "the failure that started the rollback is marked"
    assert [a for a in dom.with_class("badge") if "rolled_back" in a["class"]]
    screenshot = tmp_path / "report.png"
    run_chromium(
        chromium, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1280,1800",
        report.as_uri(),
    )  # fmt: skip
    assert size(screenshot) == (1280, 1800)


def chart_pixels(releases: Releases, run_id: str, chromium: str, tmp_path: Path):
    """Screenshot the report's chart alone at its natural size (1 SVG unit = 1 pixel)."""
    html = write_report(releases, run_id, tmp_path / "report.html")
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    height = int(float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1)))
    page = tmp_path / "chart.html"
    page.write_text(
        f'<!DOCTYPE html><body style="margin:0"><div style="width:{CHART_WIDTH}px">{svg}</div>',
        encoding="utf-8",
    )
    shot = tmp_path / "chart.png"
    run_chromium(
        chromium, tmp_path / "profile", f"--screenshot={shot}",
        f"--window-size={CHART_WIDTH},{height}", page.as_uri(),
    )  # fmt: skip
    width, _, pixels = read_pixels(shot)
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    lanes = [attrs["class"].split()[1] for attrs in Elements(svg).with_class("lane")]
    return rows, lanes


def painted(rows, top: float, colour: str, tolerance: int = 24) -> int:
    """How many pixels in the band of one chart row (from `top`) are near `colour`."""
    target = hex_colour(colour)
    band = rows[int(top) : int(top + ROW)]
    return sum(
        1
        for row in band
        for pixel in row
        if sum(abs(a - b) for a, b in zip(pixel, target, strict=True)) <= tolerance
    )


def test_the_chart_paints_each_step_in_its_row_and_the_failed_probes_in_red(
    releases: Releases, chromium: str, tmp_path: Path
) -> None:
    history = releases.rolled_back
    rows, lanes = chart_pixels(releases, history.run.id, chromium, tmp_path)
    states = ["preflight", "cloning", "swapping", "deploying", "verifying", "rolling_back"]
    for index, state in enumerate(states):
        assert painted(rows, TOP + ROW * index, STATE_COLOURS[state]) > 20, state
    lanes_top = TOP + ROW * len(states) + 8
    probe_row = lanes_top + ROW * lanes.index("lane-probe")
    assert painted(rows, probe_row, MARKER_COLOURS["probe-failed"]) > 10
    assert painted(rows, probe_row, MARKER_COLOURS["probe"]) == 0


def test_the_chart_of_a_successful_run_has_no_failed_probe(
    releases: Releases, chromium: str, tmp_path: Path
) -> None:
    rows, lanes = chart_pixels(releases, releases.succeeded.run.id, chromium, tmp_path)
    steps = 7  # preflight .. cleaning_up
    probe_row = TOP + ROW * steps + 8 + ROW * lanes.index("lane-probe")
    assert painted(rows, probe_row, MARKER_COLOURS["probe"]) > 30
    assert painted(rows, probe_row, MARKER_COLOURS["probe-failed"]) == 0
    assert painted(rows, TOP + ROW * 6, STATE_COLOURS["cleaning_up"]) > 20
