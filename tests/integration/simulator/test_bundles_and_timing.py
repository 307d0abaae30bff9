"""Source bundle manifests and the time scale (plain functions, no server)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from simulator import Durations, Manifest, make_bundle
from simulator.bundles import BundleError, read_manifest
from simulator.timing import Timing


def test_a_bundle_carries_its_manifest() -> None:
    manifest = read_manifest(make_bundle("v2", status=500, health="Red", start_seconds=30))
    assert manifest == Manifest(status=500, health="Red", start_seconds=30.0)
    assert manifest.body_for("v2") == "version v2"


def test_a_zip_without_a_manifest_answers_200_with_its_label() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "print('hi')")
    assert read_manifest(buffer.getvalue()) == Manifest()


def test_bad_bundles_and_manifests_are_refused() -> None:
    with pytest.raises(BundleError):
        read_manifest(b"not a zip")
    with pytest.raises(BundleError):
        make_bundle("v1", health="Purple")
    with pytest.raises(BundleError, match="fail_after"):
        make_bundle("v1", fail_after=-1)


def test_a_manifest_can_make_a_version_fail_late() -> None:
    manifest = read_manifest(make_bundle("v3", fail_after=120, fail_status=503))
    assert (manifest.fail_after, manifest.fail_status) == (120.0, 503)
    assert read_manifest(make_bundle("v3")).fail_after == 0.0  # never


def test_speed_scales_every_duration() -> None:
    timing = Timing(speed=100)
    assert timing.of("launch") == timedelta(seconds=1.8)
    assert Timing(speed=1).poll_interval() == 1.25
    assert Timing(speed=1000).poll_interval() == 0.05
    with pytest.raises(ValueError, match="speed"):
        Timing(speed=0)


def test_durations_can_be_overridden_by_name() -> None:
    assert Durations().with_overrides(launch=10).launch == 10
    with pytest.raises(ValueError, match="unknown durations"):
        Durations().with_overrides(lunch=10)
