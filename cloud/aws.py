"""AWS session and client construction: region, credentials (default chain or SSO), retries.

Credentials are never read, logged or stored here: boto3 resolves them itself, lazily.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

import boto3
from botocore.client import BaseClient
from botocore.config import Config as BotoConfig
from botocore.exceptions import ProfileNotFound

from cloud.translate import translate_errors
from cloud.user_agent import USER_AGENT
from engine.domain.aws_names import region_problem
from engine.domain.errors import ConfigurationError

AuthMethod = Literal["default", "SSO"]
RetryMode = Literal["standard", "adaptive"]


@dataclass(frozen=True)
class AwsConfig:
    """How to reach AWS. `endpoint_url=None` lets boto3 honour `AWS_ENDPOINT_URL[_<SERVICE>]`.

    `max_attempts` counts the first call too; EB throttles readily ("Rate exceeded"), so the
    default allows more retries than botocore's own default of 3.
    """

    region: str | None = None
    auth_method: AuthMethod = "default"
    sso_profile: str | None = None
    retry_mode: RetryMode = "standard"
    max_attempts: int = 8
    endpoint_url: str | None = None
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 60.0

    def __post_init__(self) -> None:
        # The replaced tool's users write AUTH_METHOD=SSO; accept any case of either value.
        canonical = {"default": "default", "sso": "SSO"}.get(str(self.auth_method).lower())
        object.__setattr__(self, "auth_method", canonical or self.auth_method)
        for problem in _config_problems(self):
            raise ConfigurationError(problem)


def _config_problems(config: AwsConfig) -> list[str]:
    checks = [
        (config.auth_method in ("default", "SSO"), "AUTH_METHOD must be 'default' or 'SSO'"),
        (
            config.auth_method != "SSO" or bool(config.sso_profile),
            "AUTH_METHOD=SSO needs SSO_PROFILE",
        ),
        (
            config.retry_mode in ("standard", "adaptive"),
            "retry mode must be 'standard' or 'adaptive'",
        ),
        (config.max_attempts >= 1, "max_attempts must be at least 1"),
        (config.connect_timeout_seconds > 0, "the connect timeout must be positive"),
        (config.read_timeout_seconds > 0, "the read timeout must be positive"),
        (
            config.endpoint_url is None or config.endpoint_url.startswith(("http://", "https://")),
            f"the AWS endpoint URL must start with http:// or https://: {config.endpoint_url!r}",
        ),
    ]
    return [message for ok, message in checks if not ok]


def make_session(config: AwsConfig) -> boto3.Session:
    """A boto3 session: the named SSO profile, or the standard credential chain."""
    profile = config.sso_profile if config.auth_method == "SSO" else None
    try:
        session = boto3.Session(region_name=config.region, profile_name=profile)
    except ProfileNotFound as error:
        raise ConfigurationError(_no_such_profile(profile, error)) from error
    _check_region(session.region_name)
    return session


def _check_region(region: str | None) -> None:
    """The region botocore settled on (flag, variable or profile): an empty AWS_DEFAULT_REGION
    would otherwise make the endpoint `elasticbeanstalk..amazonaws.com` (a ValueError)."""
    if not region:
        raise ConfigurationError("no AWS region: set AWS_DEFAULT_REGION (or --region)")
    if problem := region_problem(region):
        raise ConfigurationError(f"the AWS region {region[:40]!r} {problem}")


def _no_such_profile(sso_profile: str | None, error: ProfileNotFound) -> str:
    """Name the variable that chose the profile: SSO_PROFILE, or else AWS_PROFILE (boto3 reads
    it itself when no profile is passed)."""
    if sso_profile:
        return f"SSO_PROFILE {sso_profile!r}: no such profile in the AWS config"
    named = error.kwargs.get("profile") or os.environ.get("AWS_PROFILE")
    return f"AWS_PROFILE {named!r}: no such profile in the AWS config or credentials file"


def botocore_config(config: AwsConfig) -> BotoConfig:
    """Retries, timeouts and User-Agent shared by every client this project makes."""
    return BotoConfig(
        # total_max_attempts counts the first call, like AWS_MAX_ATTEMPTS; botocore's
        # `max_attempts` key would count retries only.
        retries={"mode": config.retry_mode, "total_max_attempts": config.max_attempts},
        user_agent_extra=USER_AGENT,
        connect_timeout=config.connect_timeout_seconds,
        read_timeout=config.read_timeout_seconds,
        tcp_keepalive=True,
    )


def make_client(session: boto3.Session, service: str, config: AwsConfig) -> BaseClient:
    """A client for `service`; raises ConfigurationError when no region is known."""
    endpoint = {"endpoint_url": config.endpoint_url} if config.endpoint_url else {}
    with translate_errors():
        # boto3-stubs types `client` per literal service name; callers cast to the typed client.
        client: BaseClient = session.client(  # type: ignore[call-overload]
            service, config=botocore_config(config), **endpoint
        )
    return client
