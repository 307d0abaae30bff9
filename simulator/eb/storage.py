"""What the simulated EB writes to the simulated S3 (moto's backend, same process): the
storage location bucket and the environment info (logs) it serves by URL."""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.session
from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends

DUMMY_KEY = "testing"  # the simulator checks no signature (simulator.core.ACCESS_KEY)
EXPIRES_SECONDS = 900  # EB keeps environment info for 15 minutes (RetrieveEnvironmentInfo docs)


def storage_bucket(region: str, account: str) -> str:
    # CreateStorageLocation: "elasticbeanstalk-<region>-<account>" (AWS docs, "Using Elastic
    # Beanstalk with Amazon S3"; the EB CLI uploads source bundles there).
    return f"elasticbeanstalk-{region}-{account}"


def ensure_bucket(name: str, region: str, account: str) -> None:
    backend = s3_backends[account]["aws"]
    try:
        backend.get_bucket(name)
    except MissingBucket:
        backend.create_bucket(name, region)


def put_object(bucket: str, key: str, body: bytes, account: str) -> None:
    s3_backends[account]["aws"].put_object(bucket, key, body)


@cache
def _signer(endpoint_url: str, region: str) -> Any:
    session = botocore.session.get_session()
    return session.create_client(
        "s3",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=DUMMY_KEY,
        aws_secret_access_key=DUMMY_KEY,
    )


def presigned_url(endpoint_url: str, region: str, bucket: str, key: str) -> str:
    """A presigned GET URL, as EB answers RetrieveEnvironmentInfo (its Message is "the
    retrieved information", an S3 URL the EB CLI opens with urllib: ebcli/lib/utils.py,
    get_data_from_url); it points at the simulator's endpoint, so it stays on loopback."""
    url: str = _signer(endpoint_url, region).generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=EXPIRES_SECONDS
    )
    return url


def delete_object(bucket: str, key: str, account: str) -> None:
    """Delete `key` if the bucket holds it (S3's DeleteObject succeeds for a missing key)."""
    backend = s3_backends[account]["aws"]
    try:
        backend.get_bucket(bucket)
    except MissingBucket:
        return
    backend.delete_object(bucket, key)


def keys_under(bucket: str, prefix: str, account: str) -> list[str]:
    """The keys of `bucket` that start with `prefix`, in S3's (lexical) order."""
    backend = s3_backends[account]["aws"]
    try:
        found = backend.get_bucket(bucket)
    except MissingBucket:
        return []
    return sorted(str(key) for key in found.keys if str(key).startswith(prefix))
