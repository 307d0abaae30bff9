"""Settings: the replaced tool's environment variables, BLUEGREEN_* ones, and CLI overrides.

Every field is generated from its declaration in `engine.operator.option_table` (variables,
default, range, limits, rule); the annotations are there for mypy, and a test checks they
match the declaration. CLI flags are passed in under the variables' names and win.
`engine.operator.inputs` turns Settings into the plain values the engine takes.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from engine.domain.errors import ConfigurationError
from engine.domain.hooks import Hook, parse_hook
from engine.operator.option_table import BY_NAME, SETTINGS, is_in_memory_sqlite, options_of
from engine.release.redact import mask_shapes

__all__ = ["Settings", "is_in_memory_sqlite", "load_settings", "setting_name"]

# Variables of this prefix that are not options: the crash tests' hook (loaded by bootstrap
# from tests/plugins/bluegreen_crash_hooks.py).
INTERNAL_VARIABLES = frozenset({"BLUEGREEN_TEST_CRASH_AT"})
BY_VARIABLE = {variable: option for option in SETTINGS for variable in option.variables}


def declared(name: str) -> Any:
    """The pydantic Field of the declared option `name`."""
    option = BY_NAME[name]
    alias = AliasChoices(*option.variables) if len(option.variables) > 1 else option.variable
    bounds: dict[str, Any] = {}
    if option.kind in ("number", "integer"):
        bounds["gt" if option.low_open else "ge"] = option.low
        bounds["le"] = option.high
    return Field(option.default, validation_alias=alias, **bounds)


class Settings(BaseSettings):
    """Everything a runner can be told, by environment variable (the alias) or by flag."""

    model_config = SettingsConfigDict(
        case_sensitive=True, extra="ignore", env_ignore_empty=True, allow_inf_nan=False
    )

    app: str | None = declared("app")
    blue: str | None = declared("blue")
    green: str | None = declared("green")
    version_label: str | None = declared("version_label")
    bundle: str | None = declared("bundle")
    bucket: str | None = declared("bucket")
    health_path: str = declared("health_path")
    region: str | None = declared("region")
    auth_method: str = declared("auth_method")
    sso_profile: str | None = declared("sso_profile")
    database_url: str | None = declared("database_url")
    log_format: str = declared("log_format")
    notify_url: str | None = declared("notify_url")
    notify_on: str = declared("notify_on")
    notify_format: str = declared("notify_format")
    wait_for_lock: float = declared("wait_for_lock")
    lease_seconds: float = declared("lease_seconds")
    on_unfinished: str = declared("on_unfinished")
    dns_settle: float = declared("dns_settle")
    bake: float = declared("bake")
    warm_up: bool = declared("warm_up")
    warm_up_deadline: float = declared("warm_up_deadline")
    on_drift: str = declared("on_drift")
    wait_for_blue: float = declared("wait_for_blue")
    alarms: str = declared("alarms")
    route53_records: str | None = declared("route53_records")
    hosted_zone_id: str | None = declared("hosted_zone_id")
    route53_from_ssm: bool = declared("route53_from_ssm")
    strategy: str = declared("strategy")
    keep_old: str | None = declared("keep_old")
    canary_percent: int = declared("canary_percent")
    canary_minutes: int = declared("canary_minutes")
    # `--hook POINT=COMMAND` repeated, or BLUEGREEN_HOOKS as a JSON array of such strings (one
    # hook alone may be given as it is): NoDecode, _hook_texts parses the variable.
    hooks: Annotated[tuple[str, ...], NoDecode] = declared("hooks")
    hook_timeout: float = declared("hook_timeout")
    cutover_timeout: float | None = declared("cutover_timeout")
    on_timeout: str = declared("on_timeout")
    poll_interval: float = declared("poll_interval")
    max_poll_interval: float = declared("max_poll_interval")
    time_scale: float = declared("time_scale")
    retry_mode: str = declared("retry_mode")
    max_attempts: int = declared("max_attempts")
    launch_deadline: float = declared("launch_deadline")
    update_deadline: float = declared("update_deadline")
    swap_deadline: float = declared("swap_deadline")
    terminate_deadline: float = declared("terminate_deadline")
    version_deadline: float = declared("version_deadline")
    health_grace: float = declared("health_grace")
    visibility_window: float = declared("visibility_window")
    health_successes: int = declared("health_successes")
    health_interval: float = declared("health_interval")
    health_timeout: float = declared("health_timeout")
    health_deadline: float = declared("health_deadline")
    health_expected_status: str = declared("health_expected_status")
    health_failures: int = declared("health_failures")

    @field_validator("alarms", "route53_records", mode="before")
    @classmethod
    def _joined(cls, value: object) -> object:
        """A repeated flag gives a list; the variable a comma-separated string."""
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return value

    @field_validator("*")
    @classmethod
    def _declared_rule(cls, value: Any, info: ValidationInfo) -> Any:
        """Length, control characters and the option's rule, from its declaration (a newline
        would forge a log line, an escape sequence reach the terminal raw)."""
        if not isinstance(value, str):
            return value
        option = BY_NAME[str(info.field_name)]
        items = value.split(",") if option.kind == "list" else [value]
        for item in items:
            if problem := option.text_problem(item.strip() if option.kind == "list" else item):
                raise ValueError(problem)
        return value

    @property
    def alarm_names(self) -> tuple[str, ...]:
        names = (name.strip() for name in self.alarms.split(","))
        return tuple(dict.fromkeys(name for name in names if name))

    @property
    def keep_old_forever(self) -> bool:
        return self.keep_old is not None and self.keep_old.strip().lower() == "forever"

    @property
    def keep_old_seconds(self) -> float | None:
        """Seconds the old environment stays up; None: the DNS settle (or forever)."""
        if self.keep_old is None or self.keep_old_forever:
            return None
        return float(self.keep_old)

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
            if problem := BY_NAME["hooks"].text_problem(text):
                raise ValueError(problem)
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

    @property
    def expected_status(self) -> tuple[int, ...]:
        return tuple(int(c) for c in self.health_expected_status.split(",") if c.strip())


def load_settings(
    overrides: Mapping[str, object] | None = None, command: str | None = None
) -> Settings:
    """Settings from the environment, with `overrides` (flags, by variable name) on top.

    With `command`, the variables of options it does not take are ignored (their defaults
    are used) and a mistyped BLUEGREEN_* variable is refused. Raises ConfigurationError with
    one line naming the flag or variable and what is wrong."""
    given: dict[str, Any] = {
        k: v for k, v in (overrides or {}).items() if v is not None and v != ()
    }  # () is a repeatable flag not given
    if command is not None:
        _refuse_mistyped_variables(os.environ)
        taken = {option.name for option in options_of(command)}
        for option in SETTINGS:
            if option.name not in taken:
                given.update({variable: option.default for variable in option.variables})
    try:
        return Settings(**given)
    except ValidationError as error:
        raise ConfigurationError(_one_line(error)) from None


def _refuse_mistyped_variables(environ: Mapping[str, str]) -> None:
    """BLUEGREEN_BAK=600 would silently bake for 0 s: a variable one letter away from a
    declared one is refused. Other unknown BLUEGREEN_* variables (a CI's own) are left alone."""
    known = [variable for variable in BY_VARIABLE if variable.startswith("BLUEGREEN_")]
    for name in environ:
        if not name.startswith("BLUEGREEN_") or name in BY_VARIABLE or name in INTERNAL_VARIABLES:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.9)
        if close:
            raise ConfigurationError(f"unknown variable {name}: did you mean {close[0]}?")


def setting_name(variable: str) -> str:
    """`--blue / BLUE_ENV_NAME`: how a user can set it."""
    option = BY_VARIABLE.get(variable)
    return option.label if option else variable


def _one_line(error: ValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = setting_name(".".join(str(part) for part in problem["loc"]) or "settings")
        message = str(problem["msg"]).removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "invalid settings: " + "; ".join(problems)
