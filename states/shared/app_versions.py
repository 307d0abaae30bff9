"""The new application version, for preflight: an existing label that is processed, or a
source bundle uploaded under a content-hash key and registered once (re-runs reuse both).
"""

from __future__ import annotations

from engine.domain.bundles import bundle_key, check_bundle
from engine.domain.errors import (
    ConfigurationError,
    DeadlineExceeded,
    NotFoundError,
    StepFailed,
)
from engine.domain.model import Bundle
from engine.domain.ports.cloud import ApplicationVersion
from engine.domain.step import StepContext
from states.shared.outcome_unknown import request
from states.shared.resources import note

# Which statuses deploy and which are waited for: ApplicationVersion.deployable / .processing
# (real EB's capitals, read case-insensitively).
FIRST_POLL_SECONDS = 0.5
LONGEST_POLL_SECONDS = 10.0


def ensure_version(ctx: StepContext) -> None:
    """The run's version exists and is deployable; registers the bundle first when given."""
    bundle = ctx.run.bundle
    if bundle is None:
        version = _existing_version(ctx)
    else:
        version = _registered(ctx, bundle, bundle_key(bundle.path))
    _wait_processed(ctx, version)


def _existing_version(ctx: StepContext) -> ApplicationVersion:
    app, label = ctx.run.target.app, ctx.run.version_label
    version = ctx.beanstalk.get_version(app, label)
    if version is None:
        raise ConfigurationError(
            f"version {label} does not exist in application {app} ({ctx.run.target.region})"
        )
    if not (version.deployable or version.processing):
        raise ConfigurationError(
            f"version {label} is {version.status}; only a PROCESSED or UNPROCESSED version "
            "can be released"
        )
    return version


def _registered(ctx: StepContext, bundle: Bundle, key: str) -> ApplicationVersion:
    app, label = ctx.run.target.app, ctx.run.version_label
    existing = ctx.beanstalk.get_version(app, label)
    if existing is not None:
        return _same_source(existing, bundle.bucket, key)
    check_bundle(bundle.path)  # a bad zip leaves neither an S3 object nor a FAILED version
    _upload(ctx, bundle, key)
    ctx.journal.record_facts(bundle_bucket=bundle.bucket, bundle_key=key)
    version = request(
        ctx,
        f"CreateApplicationVersion {label}",
        lambda: ctx.beanstalk.create_version(
            app, label, bundle.bucket, key, f"bluegreen run {ctx.run.id}"
        ),
        lambda: ctx.beanstalk.get_version(app, label) is not None,
    )
    if version is None:  # registered all the same (a lost response, or a retry refused)
        again = ctx.beanstalk.get_version(app, label)
        if again is None:
            raise StepFailed(f"version {label} was registered but is no longer listed")
        return _same_source(again, bundle.bucket, key)
    note(ctx, f"registered version {label} from s3://{bundle.bucket}/{key}", version=label)
    return version


def _same_source(version: ApplicationVersion, bucket: str, key: str) -> ApplicationVersion:
    if (version.source_bucket, version.source_key) != (bucket, key):
        raise ConfigurationError(
            f"version {version.label} already exists from another bundle "
            f"(s3://{version.source_bucket}/{version.source_key}, not s3://{bucket}/{key}); "
            "choose another version label"
        )
    return version


def _upload(ctx: StepContext, bundle: Bundle, key: str) -> None:
    try:
        if ctx.artifacts.object_exists(bundle.bucket, key):
            return
        ctx.artifacts.upload(bundle.bucket, key, bundle.path)
    except NotFoundError as error:
        raise ConfigurationError(f"bucket {bundle.bucket} is not usable: {error}") from error
    note(ctx, f"uploaded {bundle.path} to s3://{bundle.bucket}/{key}", bucket=bundle.bucket)


def _wait_processed(ctx: StepContext, version: ApplicationVersion) -> None:
    """Poll GetVersion while PROCESSING or BUILDING (the Waiter is for environments only)."""
    clock, app, label = ctx.clock, ctx.run.target.app, version.label
    deadline = clock.monotonic() + ctx.deadlines.version_processing
    interval = FIRST_POLL_SECONDS
    while not version.deployable:
        if not version.processing:
            raise StepFailed(f"version {label} is {version.status}, it cannot be deployed")
        remaining = deadline - clock.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded(
                f"version {label} not processed within {ctx.deadlines.version_processing:.0f} s"
                f" (still {version.status})"
            )
        clock.sleep(min(interval, remaining))
        interval = min(interval * 2, LONGEST_POLL_SECONDS)
        polled = ctx.beanstalk.get_version(app, label)
        if polled is None:
            raise StepFailed(f"version {label} disappeared while it was being processed")
        version = polled
