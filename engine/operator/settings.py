"""Settings: the replaced tool's environment variables, BLUEGREEN_* ones, and CLI overrides.

`Settings` reads the environment (pydantic-settings); CLI flags are passed in under the same
names and win. `engine.operator.inputs` turns Settings into the plain values the engine takes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from engine.domain.errors import ConfigurationError
from engine.domain.health_urls import health_path_problem
from engine.domain.hooks import DEFAULT_HOOK_TIMEOUT_SECONDS, Hook, parse_hook
from engine.domain.model import DEFAULT_DNS_SETTLE_SECONDS
from engine.domain.text_checks import control_character_in
from engine.release.redact import mask_shapes

# EB's EnvironmentName: 4-40 letters, digits and hyphens.
ENVIRONMENT_NAME = re.compile(r"^[A-Za-z0-9-]{4,40}$")
DAY = 86_400.0  # the longest deadline, lease or wait a setting may ask for, in seconds
# Settings that take one of a few words.
CHOICES: dict[str, tuple[str, ...]] = {
    "on_unfinished": ("fail", "resume"),
    "retry_mode": ("standard", "adaptive"),
    "log_format": ("auto", "text", "json"),
    "strategy": ("swap-back", "swap-and-keep", "traffic-split"),
    "on_timeout": ("rollback", "cutover"),
    "on_drift": ("fail", "warn"),
}
# swap-and-keep: the old environment is kept at most this long (CodeDeploy's blue/green keeps
# the original instances up to 2 days, its longest "terminate after" wait), or "forever".
KEEP_OLD_MAX = 2 * 86_400.0
# The longest cutover gate: CodeDeploy's blue/green deployments wait at most 2 days for
# the traffic rerouting to be started (its "wait time", up to 2 days).
MAX_CUTOVER_TIMEOUT = 2 * 86_400.0


AUTH_METHODS = ("SSO", "DEFAULT")


def is_in_memory_sqlite(url: str) -> bool:
    """`sqlite://`, `sqlite:///:memory:`, `...?mode=memory`: a history that dies with the
    process (no lock, nothing to resume)."""
    scheme, _, rest = url.partition("://")
    if not scheme.lower().startswith("sqlite"):
        return False
    path, _, query = rest.partition("?")
    return path in ("", "/") or ":memory:" in path or "mode=memory" in query


def _env(name: str, *more: str) -> Any:
    return AliasChoices(name, *more) if more else name


class Settings(BaseSettings):
    """Everything a runner can be told, by environment variable (the alias) or by flag."""

    model_config = SettingsConfigDict(
        case_sensitive=True, extra="ignore", env_ignore_empty=True, allow_inf_nan=False
    )

    # The replaced tool's variables.
    app: str | None = Field(None, validation_alias=_env("BEANSTALK_APP_NAME"))
    blue: str | None = Field(None, validation_alias=_env("BLUE_ENV_NAME"))
    green: str | None = Field(None, validation_alias=_env("GREEN_ENV_NAME"))
    bucket: str | None = Field(None, validation_alias=_env("S3_ARTIFACTS_BUCKET"))
    version_label: str | None = Field(None, validation_alias=_env("VERSION_LABEL"))
    health_path: str = Field("/", validation_alias=_env("RELEASE_HEALTH_CHECKING_PATH"))
    auth_method: str = Field("default", validation_alias=_env("AUTH_METHOD"))
    sso_profile: str | None = Field(None, validation_alias=_env("SSO_PROFILE"))
    region: str | None = Field(None, validation_alias=_env("AWS_DEFAULT_REGION", "AWS_REGION"))
    # This tool's own.
    bundle: str | None = Field(None, validation_alias=_env("BLUEGREEN_BUNDLE"))
    database_url: str | None = Field(None, validation_alias=_env("BLUEGREEN_DATABASE_URL"))
    notify_url: str | None = Field(None, validation_alias=_env("BLUEGREEN_NOTIFY_URL"))
    log_format: str = Field("auto", validation_alias=_env("BLUEGREEN_LOG_FORMAT"))
    # Tuning: finite numbers in a documented range (README, "Tuning"); `inf`, `nan` and
    # 1e300 are refused (allow_inf_nan=False below, and each field's upper bound).
    poll_interval: float = Field(
        1.0, gt=0, le=300, validation_alias=_env("BLUEGREEN_POLL_INTERVAL")
    )
    max_poll_interval: float = Field(
        20.0, gt=0, le=3600, validation_alias=_env("BLUEGREEN_MAX_POLL_INTERVAL")
    )
    lease_seconds: float = Field(
        60.0, ge=3, le=DAY, validation_alias=_env("BLUEGREEN_LEASE_SECONDS")
    )
    wait_for_lock: float = Field(
        0.0, ge=0, le=DAY, validation_alias=_env("BLUEGREEN_WAIT_FOR_LOCK")
    )
    # How fast the endpoint's time runs compared to AWS (the simulator at speed 100: 0.01):
    # the polling schedule's prior durations are AWS seconds times this.
    time_scale: float = Field(1.0, gt=0, le=1, validation_alias=_env("BLUEGREEN_TIME_SCALE"))
    on_unfinished: str = Field("fail", validation_alias=_env("BLUEGREEN_ON_UNFINISHED"))
    retry_mode: str = Field("standard", validation_alias=_env("BLUEGREEN_RETRY_MODE"))
    max_attempts: int = Field(8, ge=1, le=100, validation_alias=_env("BLUEGREEN_MAX_ATTEMPTS"))
    launch_deadline: float = Field(
        1800, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_LAUNCH_DEADLINE")
    )
    update_deadline: float = Field(
        1200, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_UPDATE_DEADLINE")
    )
    swap_deadline: float = Field(
        600, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_SWAP_DEADLINE")
    )
    terminate_deadline: float = Field(
        1800, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_TERMINATE_DEADLINE")
    )
    version_deadline: float = Field(
        600, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_VERSION_DEADLINE")
    )
    health_grace: float = Field(120, ge=0, le=DAY, validation_alias=_env("BLUEGREEN_HEALTH_GRACE"))
    health_successes: int = Field(
        3, ge=1, le=1000, validation_alias=_env("BLUEGREEN_HEALTH_SUCCESSES")
    )
    health_interval: float = Field(
        2.0, ge=0, le=3600, validation_alias=_env("BLUEGREEN_HEALTH_INTERVAL")
    )
    health_timeout: float = Field(
        5.0, gt=0, le=600, validation_alias=_env("BLUEGREEN_HEALTH_TIMEOUT")
    )
    health_deadline: float = Field(
        120, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_HEALTH_DEADLINE")
    )
    visibility_window: float = Field(
        60, ge=0, le=DAY, validation_alias=_env("BLUEGREEN_VISIBILITY_WINDOW")
    )
    health_expected_status: str = Field(
        "200", validation_alias=_env("BLUEGREEN_HEALTH_EXPECTED_STATUS")
    )
    health_failures: int = Field(3, ge=1, validation_alias=_env("BLUEGREEN_HEALTH_FAILURES"))
    dns_settle: float = Field(
        DEFAULT_DNS_SETTLE_SECONDS, ge=0, validation_alias=_env("BLUEGREEN_DNS_SETTLE")
    )
    bake: float = Field(0.0, ge=0, validation_alias=_env("BLUEGREEN_BAKE"))
    warm_up: bool = Field(True, validation_alias=_env("BLUEGREEN_WARM_UP"))
    warm_up_deadline: float = Field(
        900, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_WARM_UP_DEADLINE")
    )
    on_drift: str = Field("fail", validation_alias=_env("BLUEGREEN_ON_DRIFT"))
    wait_for_blue: float = Field(
        0.0, ge=0, le=DAY, validation_alias=_env("BLUEGREEN_WAIT_FOR_BLUE")
    )
    alarms: str = Field("", validation_alias=_env("BLUEGREEN_ALARMS"))
    # Release strategies (README "Strategies").
    strategy: str = Field("swap-back", validation_alias=_env("BLUEGREEN_STRATEGY"))
    keep_old: str | None = Field(None, validation_alias=_env("BLUEGREEN_KEEP_OLD"))
    # EB's aws:elasticbeanstalk:trafficsplitting ranges (EB developer guide, "General options
    # for all environments"): NewVersionPercent 1-100 (default 10), EvaluationTime 3-600
    # minutes (default 5). 100 % would be no canary: at most 99 here.
    canary_percent: int = Field(10, ge=1, le=99, validation_alias=_env("BLUEGREEN_CANARY_PERCENT"))
    canary_minutes: int = Field(5, ge=3, le=600, validation_alias=_env("BLUEGREEN_CANARY_MINUTES"))

    @field_validator("keep_old")
    @classmethod
    def _keep_old(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() == "forever":
            return value
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError("must be a number of seconds or 'forever'") from None
        if not 0 <= seconds <= KEEP_OLD_MAX:  # also refuses nan and inf
            raise ValueError(f"must be between 0 and {KEEP_OLD_MAX:.0f} seconds, or 'forever'")
        return value

    @property
    def keep_old_forever(self) -> bool:
        return self.keep_old is not None and self.keep_old.strip().lower() == "forever"

    @property
    def keep_old_seconds(self) -> float | None:
        """Seconds the old environment stays up; None: the DNS settle (or forever)."""
        if self.keep_old is None or self.keep_old_forever:
            return None
        return float(self.keep_old)

    # Lifecycle hooks: `--hook POINT=COMMAND` repeated, or BLUEGREEN_HOOKS as a JSON array of
    # such strings (one hook alone may be given as it is).
    hooks: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias=_env("BLUEGREEN_HOOKS")
    )
    hook_timeout: float = Field(
        DEFAULT_HOOK_TIMEOUT_SECONDS, gt=0, le=DAY, validation_alias=_env("BLUEGREEN_HOOK_TIMEOUT")
    )
    cutover_timeout: float | None = Field(
        None, gt=0, le=MAX_CUTOVER_TIMEOUT, validation_alias=_env("BLUEGREEN_CUTOVER_TIMEOUT")
    )
    on_timeout: str = Field("rollback", validation_alias=_env("BLUEGREEN_ON_TIMEOUT"))

    @field_validator("hooks", mode="before")
    @classmethod
    def _hook_texts(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if not text.startswith("["):
                return (text,)
            try:
                value = json.loads(text)
            except ValueError:
                raise ValueError('must be a JSON array of "POINT=COMMAND" strings') from None
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError('must be a JSON array of "POINT=COMMAND" strings')
        return tuple(value)

    @field_validator("hooks")
    @classmethod
    def _hooks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for text in value:
            try:
                parse_hook(text)
            except ConfigurationError as error:
                raise ValueError(str(error)) from None
            if mask_shapes(text) != text:  # the command is stored in the run's history
                raise ValueError(
                    f"hook {text.partition('=')[0]}: the command looks like it holds a secret; "
                    "pass secrets to hooks in their environment, not on the command line"
                )
        return value

    @property
    def hook_list(self) -> tuple[Hook, ...]:
        return tuple(parse_hook(text) for text in self.hooks)

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """A newline would forge a log line, an escape sequence reach the terminal raw."""
        if isinstance(value, str) and (control := control_character_in(value)):
            raise ValueError(f"holds the control character {control}")
        return value

    @field_validator("health_path")
    @classmethod
    def _health_path(cls, value: str) -> str:
        problem = health_path_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("auth_method")
    @classmethod
    def _auth_method(cls, value: str) -> str:
        # The replaced tool knew `SSO` (else boto3's default chain); `default` names the latter.
        if value.strip().upper() not in AUTH_METHODS:
            raise ValueError(f"must be 'SSO' or 'default', not {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _persistent_database(cls, value: str | None) -> str | None:
        if value is not None and is_in_memory_sqlite(value):
            raise ValueError(
                "an in-memory SQLite database keeps no history, lock or resumable run: "
                "name a file, e.g. sqlite:////var/lib/bluegreen/runs.db"
            )
        return value

    # Custom domains in Route 53 (names separated by commas), or the replaced tool's SSM ones.
    route53_records: str | None = Field(None, validation_alias=_env("BLUEGREEN_ROUTE53_RECORDS"))
    hosted_zone_id: str | None = Field(None, validation_alias=_env("BLUEGREEN_HOSTED_ZONE_ID"))
    route53_from_ssm: bool = Field(False, validation_alias=_env("BLUEGREEN_ROUTE53_FROM_SSM"))

    @field_validator("blue", "green")
    @classmethod
    def _environment_name(cls, value: str | None) -> str | None:
        if value is not None and not ENVIRONMENT_NAME.match(value):
            raise ValueError("must be 4-40 letters, digits or hyphens")
        return value

    @field_validator("health_expected_status")
    @classmethod
    def _status_codes(cls, value: str) -> str:
        codes = [part.strip() for part in value.split(",") if part.strip()]
        if not codes or not all(c.isdigit() and 100 <= int(c) <= 599 for c in codes):
            raise ValueError("must be HTTP status codes separated by commas, e.g. 200,204")
        return value

    @field_validator(*CHOICES)
    @classmethod
    def _one_of_choices(cls, value: str, info: ValidationInfo) -> str:
        choices = CHOICES[str(info.field_name)]
        if value not in choices:
            allowed = [f"'{choice}'" for choice in choices]
            raise ValueError(f"must be {', '.join(allowed[:-1])} or {allowed[-1]}")
        return value

    @field_validator("alarms", mode="before")
    @classmethod
    def _alarm_names(cls, value: object) -> object:
        """`--alarm` repeated gives a list; BLUEGREEN_ALARMS a comma-separated string."""
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return value

    @property
    def alarm_names(self) -> tuple[str, ...]:
        names = (name.strip() for name in self.alarms.split(","))
        return tuple(dict.fromkeys(name for name in names if name))

    @property
    def expected_status(self) -> tuple[int, ...]:
        return tuple(int(c) for c in self.health_expected_status.split(",") if c.strip())


def load_settings(overrides: Mapping[str, object] | None = None) -> Settings:
    """Settings from the environment, with `overrides` (flags, by variable name) on top.

    Raises ConfigurationError with one line naming the variable and what is wrong."""
    given: dict[str, Any] = {
        k: v for k, v in (overrides or {}).items() if v is not None and v != ()
    }  # () is a repeatable flag not given
    try:
        return Settings(**given)
    except ValidationError as error:
        raise ConfigurationError(_one_line(error)) from None


# CLI option name -> the environment variable it overrides (the flag is `--option-name`).
FLAG_VARIABLES = {
    "app": "BEANSTALK_APP_NAME",
    "blue": "BLUE_ENV_NAME",
    "green": "GREEN_ENV_NAME",
    "version_label": "VERSION_LABEL",
    "bundle": "BLUEGREEN_BUNDLE",
    "bucket": "S3_ARTIFACTS_BUCKET",
    "health_path": "RELEASE_HEALTH_CHECKING_PATH",
    "region": "AWS_DEFAULT_REGION",
    "database_url": "BLUEGREEN_DATABASE_URL",
    "log_format": "BLUEGREEN_LOG_FORMAT",
    "notify_url": "BLUEGREEN_NOTIFY_URL",
    "wait_for_lock": "BLUEGREEN_WAIT_FOR_LOCK",
    "on_unfinished": "BLUEGREEN_ON_UNFINISHED",
    "lease_seconds": "BLUEGREEN_LEASE_SECONDS",
    "dns_settle": "BLUEGREEN_DNS_SETTLE",
    "bake": "BLUEGREEN_BAKE",
    "warm_up": "BLUEGREEN_WARM_UP",
    "warm_up_deadline": "BLUEGREEN_WARM_UP_DEADLINE",
    "on_drift": "BLUEGREEN_ON_DRIFT",
    "wait_for_blue": "BLUEGREEN_WAIT_FOR_BLUE",
    "alarm": "BLUEGREEN_ALARMS",
    "route53_record": "BLUEGREEN_ROUTE53_RECORDS",
    "hosted_zone_id": "BLUEGREEN_HOSTED_ZONE_ID",
    "strategy": "BLUEGREEN_STRATEGY",
    "keep_old": "BLUEGREEN_KEEP_OLD",
    "canary_percent": "BLUEGREEN_CANARY_PERCENT",
    "canary_minutes": "BLUEGREEN_CANARY_MINUTES",
    "hook": "BLUEGREEN_HOOKS",
    "hook_timeout": "BLUEGREEN_HOOK_TIMEOUT",
    "cutover_timeout": "BLUEGREEN_CUTOVER_TIMEOUT",
    "on_timeout": "BLUEGREEN_ON_TIMEOUT",
}
# The CLI flag that sets each variable, for error messages.
FLAGS = {variable: "--" + option.replace("_", "-") for option, variable in FLAG_VARIABLES.items()}


def setting_name(variable: str) -> str:
    """`--blue / BLUE_ENV_NAME`: how a user can set it."""
    flag = FLAGS.get(variable)
    return f"{flag} / {variable}" if flag else variable


def _one_line(error: ValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = setting_name(".".join(str(part) for part in problem["loc"]) or "settings")
        message = str(problem["msg"]).removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "invalid settings: " + "; ".join(problems)
