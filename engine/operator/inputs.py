"""Settings turned into the plain values the engine takes (Target, ReleaseRequest, ...).

Each function checks what its command needs and raises ConfigurationError with one line
naming the flag and variable; nothing here touches AWS or the database.
"""

from __future__ import annotations

from pathlib import Path

from engine.domain.bundles import check_bundle, version_label_for
from engine.domain.environment_names import same_environment_name
from engine.domain.errors import ConfigurationError
from engine.domain.hooks import OnTimeout
from engine.domain.model import Bundle, Guards, HealthCheck, Mode, Strategy, Target
from engine.domain.ports.runtime import Deadlines
from engine.operator.route53_inputs import custom_domains_of
from engine.operator.settings import Settings, setting_name
from engine.release.requests import LockPolicy, OnUnfinished, ReleaseRequest
from engine.release.restore import RestoreRequest


def _required(value: str | None, variable: str, what: str) -> str:
    if not value:
        raise ConfigurationError(f"missing {what}: set {setting_name(variable)}")
    return value


def target_of(settings: Settings) -> Target:
    """Region, application and blue: what identifies a target (and its lock)."""
    return Target(
        region=_required(settings.region, "AWS_DEFAULT_REGION", "the AWS region"),
        app=_required(settings.app, "BEANSTALK_APP_NAME", "the Elastic Beanstalk application"),
        blue=_required(settings.blue, "BLUE_ENV_NAME", "the blue (live) environment"),
    )


def green_of(settings: Settings, target: Target) -> str:
    green = _required(settings.green, "GREEN_ENV_NAME", "the green (temporary) environment")
    if same_environment_name(green, target.blue):
        raise ConfigurationError(
            f"blue and green must differ (green {green} is blue {target.blue}: EB compares "
            "environment names without regard to case)"
        )
    return green


def health_check_of(settings: Settings) -> HealthCheck:
    return HealthCheck(
        path=settings.health_path,
        expected_status=settings.expected_status,
        successes=settings.health_successes,
        interval_seconds=settings.health_interval,
        timeout_seconds=settings.health_timeout,
        deadline_seconds=settings.health_deadline,
        failures=settings.health_failures,
    )


def guards_of(settings: Settings) -> Guards:
    return Guards(
        dns_settle_seconds=settings.dns_settle,
        bake_seconds=settings.bake,
        alarms=settings.alarm_names,
        keep_old_seconds=settings.keep_old_seconds,
        keep_old_forever=settings.keep_old_forever,
        canary_percent=settings.canary_percent,
        canary_minutes=settings.canary_minutes,
        hooks=settings.hook_list,
        hook_timeout_seconds=settings.hook_timeout,
        cutover_timeout_seconds=settings.cutover_timeout,
        on_timeout=OnTimeout(settings.on_timeout),
        warm_up=settings.warm_up,
        warm_up_seconds=settings.warm_up_deadline,
        on_drift=settings.on_drift,
        wait_for_blue_seconds=settings.wait_for_blue,
    )


def deadlines_of(settings: Settings) -> Deadlines:
    return Deadlines(
        launch=settings.launch_deadline,
        update=settings.update_deadline,
        swap=settings.swap_deadline,
        terminate=settings.terminate_deadline,
        version_processing=settings.version_deadline,
        health_grace=settings.health_grace,
        visibility=settings.visibility_window,
    )


def lock_policy_of(settings: Settings) -> LockPolicy:
    return LockPolicy(OnUnfinished(settings.on_unfinished), settings.wait_for_lock)


def release_request(settings: Settings, mode: Mode) -> ReleaseRequest:
    """`full` / `deploy`: the target, green, and the version (a label, or a bundle to upload)."""
    target = target_of(settings)
    green = green_of(settings, target)
    bundle = _bundle_of(settings)
    label = settings.version_label or (bundle_version_label(bundle.path) if bundle else None)
    if not label:
        raise ConfigurationError(
            f"missing the version: set {setting_name('VERSION_LABEL')} "
            f"or {setting_name('BLUEGREEN_BUNDLE')}"
        )
    strategy = Strategy(settings.strategy)
    if strategy is Strategy.TRAFFIC_SPLIT and mode is Mode.DEPLOY:
        raise ConfigurationError(
            "--strategy traffic-split has no cutover wait (EB shifts the traffic itself): "
            "use `bluegreen full`"
        )
    return ReleaseRequest(
        target, green, label, mode, health_check_of(settings), bundle, guards_of(settings),
        custom_domains_of(settings), strategy,
    )  # fmt: skip


def restore_request(settings: Settings, version_label: str) -> RestoreRequest:
    target = target_of(settings)
    return RestoreRequest(target, green_of(settings, target), version_label,
                          health_check_of(settings), guards_of(settings))  # fmt: skip


def _bundle_of(settings: Settings) -> Bundle | None:
    if not settings.bundle:
        return None
    path = Path(settings.bundle)
    if not path.is_file():
        raise ConfigurationError(f"bundle {settings.bundle} is not a readable file")
    check_bundle(path)
    bucket = _required(
        settings.bucket, "S3_ARTIFACTS_BUCKET", "the artifacts bucket for the bundle"
    )
    return Bundle(str(path), bucket)


def bundle_version_label(path: str) -> str:
    """`<stem>-<sha256[:12]>`: the same bundle always gets the same label (re-runs reuse it)."""
    return version_label_for(path)
