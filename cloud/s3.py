"""Boto3ArtifactStore: the ArtifactStore port over S3 (callers name the
keys: engine.domain.bundles)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import boto3
from botocore.exceptions import ClientError

from cloud.aws import AwsConfig, make_client
from cloud.aws_calls import CallRecorder, RetryReporter
from cloud.translate import error_code, translate_errors
from engine.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from collections import Counter

    from mypy_boto3_s3 import S3Client

MISSING_OBJECT_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


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
