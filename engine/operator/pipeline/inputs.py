"""The step's inputs: `INPUT_*` variables (GitHub sets them for an action; the GitLab
component sets them too) turned into the variables `bluegreen` reads.

An empty input leaves the variable as the job has it, so a pipeline that sets the replaced
tool's variables (BLUE_ENV_NAME, ...) and no inputs keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping

# Input name (as action.yml spells it) -> the variable it sets.
INPUT_VARIABLES: dict[str, tuple[str, ...]] = {
    "mode": ("BLUEGREEN_MODE",),
    "run-id": ("BLUEGREEN_RUN_ID",),
    "app": ("BEANSTALK_APP_NAME",),
    "blue": ("BLUE_ENV_NAME",),
    "green": ("GREEN_ENV_NAME",),
    "version-label": ("VERSION_LABEL",),
    "bundle": ("BLUEGREEN_BUNDLE",),
    "bucket": ("S3_ARTIFACTS_BUCKET",),
    "health-path": ("RELEASE_HEALTH_CHECKING_PATH",),
    "region": ("AWS_DEFAULT_REGION", "AWS_REGION"),
    "dns-settle": ("BLUEGREEN_DNS_SETTLE",),
    "bake": ("BLUEGREEN_BAKE",),
    "alarms": ("BLUEGREEN_ALARMS",),
    "route53-records": ("BLUEGREEN_ROUTE53_RECORDS",),
    "hosted-zone-id": ("BLUEGREEN_HOSTED_ZONE_ID",),
    "database-url": ("BLUEGREEN_DATABASE_URL",),
    "notify-url": ("BLUEGREEN_NOTIFY_URL",),
    "wait-for-lock": ("BLUEGREEN_WAIT_FOR_LOCK",),
    "on-unfinished": ("BLUEGREEN_ON_UNFINISHED",),
    "auth-method": ("AUTH_METHOD",),
    "sso-profile": ("SSO_PROFILE",),
    "report-path": ("BLUEGREEN_REPORT_PATH",),
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
