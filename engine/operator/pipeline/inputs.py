"""The step's inputs: `INPUT_*` variables (GitHub sets them for an action; the GitLab
component sets them too) turned into the variables `bluegreen` reads.

An empty input leaves the variable as the job has it, so a pipeline that sets the replaced
tool's variables (BLUE_ENV_NAME, ...) and no inputs keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.operator.option_table import BY_NAME

# The step's own variables (read by `ci-step`, not by the release commands).
STEP_VARIABLES = {"mode": "BLUEGREEN_MODE", "run-id": "BLUEGREEN_RUN_ID",
                  "report-path": "BLUEGREEN_REPORT_PATH"}  # fmt: skip
# Input name (as action.yml spells it) -> the declared option whose variables it sets.
INPUT_OPTIONS = {
    "app": "app", "blue": "blue", "green": "green", "version-label": "version_label",
    "bundle": "bundle", "bucket": "bucket", "health-path": "health_path", "region": "region",
    "dns-settle": "dns_settle", "bake": "bake", "alarms": "alarms",
    "route53-records": "route53_records", "hosted-zone-id": "hosted_zone_id",
    "database-url": "database_url", "notify-url": "notify_url", "notify-on": "notify_on",
    "notify-format": "notify_format",
    "wait-for-lock": "wait_for_lock", "on-unfinished": "on_unfinished",
    "auth-method": "auth_method", "sso-profile": "sso_profile",
}  # fmt: skip
INPUT_VARIABLES: dict[str, tuple[str, ...]] = {
    **{name: (variable,) for name, variable in STEP_VARIABLES.items()},
    **{name: BY_NAME[option].variables for name, option in INPUT_OPTIONS.items()},
}
LISTS = {"alarms", "route53-records"}  # one per line (YAML block) or comma-separated
MODES = ("full", "deploy", "cutover", "rollback")


def input_value(environ: Mapping[str, str], name: str) -> str:
    """GitHub names an input `INPUT_<NAME>` upper-cased, spaces as `_`, hyphens kept; a
    composite action or a shell cannot set a hyphen, so `_` is accepted for it too."""
    upper = name.upper().replace(" ", "_")
    for variable in (f"INPUT_{upper}", f"INPUT_{upper.replace('-', '_')}"):
        value = environ.get(variable, "").strip()
        if value:
            return value
    return ""


def step_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for `bluegreen`: the job's, with every non-empty input applied."""
    result = dict(environ)
    for name, variables in INPUT_VARIABLES.items():
        value = input_value(environ, name)
        if name in LISTS:
            value = ",".join(part.strip() for part in value.replace("\n", ",").split(",")
                             if part.strip())  # fmt: skip
        for variable in variables if value else ():
            result[variable] = value
    return result
