"""Boto3ArtifactStore against the simulator's S3 over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloud.s3 import Boto3ArtifactStore
from engine.domain.bundles import bundle_key
from engine.domain.errors import ConfigurationError, NotFoundError
from simulator import Simulator, make_bundle


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "shop.zip"
    path.write_bytes(make_bundle("v3"))
    return path


def test_an_uploaded_bundle_exists_under_its_content_key(
    store: Boto3ArtifactStore, application: str, bundle: Path, aws_env: Simulator
) -> None:
    key = bundle_key(bundle)
    assert not store.object_exists("artifacts", key)

    store.upload("artifacts", key, str(bundle))

    assert store.object_exists("artifacts", key)
    body = aws_env.client("s3").get_object(Bucket="artifacts", Key=key)["Body"].read()
    assert body == bundle.read_bytes()


def test_an_object_in_a_missing_bucket_does_not_exist(
    store: Boto3ArtifactStore, aws_env: Simulator
) -> None:
    assert not store.object_exists("no-such-bucket", "bundle.zip")


def test_uploading_to_a_missing_bucket_is_not_found(
    store: Boto3ArtifactStore, bundle: Path, aws_env: Simulator
) -> None:
    with pytest.raises(NotFoundError) as raised:
        store.upload("no-such-bucket", bundle_key(bundle), str(bundle))

    assert raised.value.code == "NoSuchBucket"


def test_uploading_a_missing_file_is_a_configuration_error(
    store: Boto3ArtifactStore, application: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match="source bundle not found"):
        store.upload("artifacts", "k", str(tmp_path / "missing.zip"))


def test_store_calls_are_counted(store: Boto3ArtifactStore, application: str) -> None:
    store.object_exists("artifacts", "a")
    store.object_exists("artifacts", "b")

    assert store.api_calls["HeadObject"] == 2
