"""Bundles are named by their content, so releasing the same bundle again reuses it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.domain.bundles import bundle_key, version_label_for


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_the_key_is_the_content_hash_and_the_file_name(tmp_path: Path) -> None:
    bundle = write(tmp_path / "shop.zip", b"release 42")
    digest = hashlib.sha256(b"release 42").hexdigest()

    assert bundle_key(bundle) == f"bluegreen/bundles/{digest[:16]}-shop.zip"


def test_the_same_content_gets_the_same_key_and_label_wherever_it_lies(tmp_path: Path) -> None:
    first = write(tmp_path / "shop.zip", b"release 42")
    (tmp_path / "copy").mkdir()
    second = write(tmp_path / "copy" / "shop.zip", b"release 42")

    assert bundle_key(first) == bundle_key(second)
    assert version_label_for(first) == version_label_for(second)


def test_different_content_gets_a_different_key_and_label(tmp_path: Path) -> None:
    first = write(tmp_path / "a.zip", b"release 42")
    second = write(tmp_path / "b.zip", b"release 43")

    assert bundle_key(first).split("-")[0] != bundle_key(second).split("-")[0]
    assert version_label_for(first)[-12:] != version_label_for(second)[-12:]


def test_the_version_label_is_the_stem_and_a_short_hash(tmp_path: Path) -> None:
    bundle = write(tmp_path / "shop-1.4.zip", b"release 42")
    digest = hashlib.sha256(b"release 42").hexdigest()

    assert version_label_for(bundle) == f"shop-1.4-{digest[:12]}"


def test_a_long_file_name_still_fits_eb_s_100_character_label_limit(tmp_path: Path) -> None:
    bundle = write(tmp_path / ("x" * 150 + ".zip"), b"release 42")

    label = version_label_for(bundle)

    assert len(label) == 100
    assert label.endswith(hashlib.sha256(b"release 42").hexdigest()[:12])
