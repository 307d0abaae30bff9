"""Boto3ArtifactStore (the ArtifactStore port over S3) and content-hash names for bundles,
so that releasing the same bundle twice reuses the upload and the version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

import boto3
from botocore.exceptions import ClientError

from cloud.aws import AwsConfig, make_client
from cloud.aws_calls import CallRecorder, RetryReporter
from cloud.errors import ConfigurationError
from cloud.translate import error_code, translate_errors

if TYPE_CHECKING:
    from collections import Counter

    from mypy_boto3_s3 import S3Client

BUNDLE_PREFIX = "bluegreen/bundles"
MAX_VERSION_LABEL = 100  # EB's limit on VersionLabel
MISSING_OBJECT_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as bundle:
        for chunk in iter(lambda: bundle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_key(path: str | Path) -> str:
    """`bluegreen/bundles/<sha256[:16]>-<filename>`: the same content gets the same key."""
    return f"{BUNDLE_PREFIX}/{file_sha256(path)[:16]}-{Path(path).name}"


def version_label_for(path: str | Path) -> str:
    """`<stem>-<sha256[:12]>`, within EB's 100-character limit on version labels."""
    suffix = f"-{file_sha256(path)[:12]}"
    return Path(path).stem[: MAX_VERSION_LABEL - len(suffix)] + suffix


class Boto3ArtifactStore:
    """Source bundles in S3."""

    def __init__(
        self, session: boto3.Session, config: AwsConfig, on_retry: RetryReporter | None = None
    ) -> None:
        self._recorder = CallRecorder(on_retry)
        self._s3 = cast("S3Client", make_client(session, "s3", config))
        self._recorder.attach(self._s3)

    @property
    def api_calls(self) -> Counter[str]:
        return self._recorder.api_calls

    def object_exists(self, bucket: str, key: str) -> bool:
        """HeadObject; a 404 (no such key, or no such bucket: HEAD cannot tell) is False."""
        with translate_errors():
            try:
                self._s3.head_object(Bucket=bucket, Key=key)
            except ClientError as error:
                if error_code(error) in MISSING_OBJECT_CODES:
                    return False
                raise
        return True

    def upload(self, bucket: str, key: str, path: str) -> None:
        """Upload a local file (multipart when large); a missing file is a ConfigurationError."""
        if not Path(path).is_file():
            raise ConfigurationError(f"source bundle not found: {path}")
        with translate_errors():
            self._s3.upload_file(str(path), bucket, key)
