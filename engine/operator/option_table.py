"""The declaration of every `bluegreen` option (see `engine.operator.options` for the type).

Commands: `RELEASE` start a run, `DRIVE` drive one (and need AWS), `READ` read the history.
A variable of an option a command does not take is ignored by that command (one environment
serves every step of a CI pipeline); a flag a command does not take is refused (exit 2).
"""

from __future__ import annotations

from engine.domain.aws_names import (
    ALARM_NAME_LIMIT,
    NAME_LIMIT,
    ZONE_ID_LIMIT,
    application_name_problem,
    bucket_name_problem,
    region_problem,
)
from engine.domain.environment_names import ENVIRONMENT_NAME_RULE, environment_name_problem
from engine.domain.fleets import BATCH_ID_RULE, MAX_FLEET, batch_id_problem
from engine.domain.health_urls import MAX_HEALTH_PATH, health_path_problem
from engine.domain.hooks import DEFAULT_HOOK_TIMEOUT_SECONDS
from engine.domain.model import DEFAULT_DNS_SETTLE_SECONDS, State
from engine.domain.notification_events import DEFAULT_EVENTS, EVENTS, events_problem
from engine.operator.options import Option

DAY = 86_400.0  # the longest deadline, lease or wait a setting may ask for, in seconds
URL_LIMIT = 4096
RELEASE = ("full", "deploy", "submit")
DRIVE = (*RELEASE, "cutover", "rollback", "resume")
RUNNERS = (*DRIVE, "worker")  # everything that builds AWS clients and a runner
HISTORY = ("runs list", "runs show", "runs export", "runs report", "runs prune", "status",
           "workers", "metrics")  # fmt: skip
RELEASE_INPUTS = (*RELEASE, "rollback")  # rollback --to-version releases a version too
TARGETED = (*RELEASE, "cutover", "rollback")  # resume's run names its target


def _auth_method(value: str) -> str | None:
    # The replaced tool knew `SSO` (else boto3's default chain); `default` names the latter.
    ok = value.strip().upper() in ("SSO", "DEFAULT")
    return None if ok else f"must be 'SSO' or 'default', not {value!r}"


def _status_codes(value: str) -> str | None:
    codes = [part.strip() for part in value.split(",") if part.strip()]
    if codes and all(c.isdigit() and len(c) == 3 and 100 <= int(c) <= 599 for c in codes):
        return None
    return "must be HTTP status codes separated by commas, e.g. 200,204"


def is_in_memory_sqlite(url: str) -> bool:
    """`sqlite://`, `sqlite:///:memory:`, `...?mode=memory`: a history that dies with the
    process (no lock, nothing to resume)."""
    scheme, _, rest = url.partition("://")
    if not scheme.lower().startswith("sqlite"):
        return False
    path, _, query = rest.partition("?")
    return path in ("", "/") or ":memory:" in path or "mode=memory" in query


def _database_url(value: str) -> str | None:
    if not is_in_memory_sqlite(value):
        return None
    return ("an in-memory SQLite database keeps no history, lock or resumable run: "
            "name a file, e.g. sqlite:////var/lib/bluegreen/runs.db")  # fmt: skip


# swap-and-keep: the old environment is kept at most this long (CodeDeploy's blue/green keeps
# the original instances up to 2 days, its longest "terminate after" wait), or "forever".
KEEP_OLD_MAX = 2 * DAY


def _keep_old(value: str) -> str | None:
    if value.strip().lower() == "forever":
        return None
    try:
        seconds = float(value)
    except ValueError:
        return "must be a number of seconds or 'forever'"
    if not 0 <= seconds <= KEEP_OLD_MAX:  # also refuses nan and inf
        return f"must be between 0 and {KEEP_OLD_MAX:.0f} seconds, or 'forever'"
    return None


def _seconds(name: str, default: float, high: float, help: str, *, low_open: bool = True,
             commands: tuple[str, ...] = RUNNERS) -> Option:  # fmt: skip
    variable = "BLUEGREEN_" + name.upper()
    return Option(name, help, commands, (variable,), "number", default, 0, low_open, high,
                  flag=False)  # fmt: skip


def _count(name: str, default: int, high: int, help: str, commands: tuple[str, ...]) -> Option:
    return Option(name, help, commands, ("BLUEGREEN_" + name.upper(),), "integer", default, 1,
                  high=high, flag=False)  # fmt: skip


TARGET = (
    Option("app", "EB application.", TARGETED, ("BEANSTALK_APP_NAME",),
           max_length=NAME_LIMIT, check=application_name_problem,
           rule="1-100 characters, no slash (EB)"),
    Option("blue", "The live environment.", TARGETED, ("BLUE_ENV_NAME",), max_length=40,
           check=environment_name_problem, rule=ENVIRONMENT_NAME_RULE + " (EB)"),
    Option("green", "The temporary environment's name.", RELEASE_INPUTS, ("GREEN_ENV_NAME",),
           max_length=40, check=environment_name_problem, rule=ENVIRONMENT_NAME_RULE + " (EB)"),
    Option("version_label", "An existing PROCESSED or UNPROCESSED version (or the label for "
           "--bundle). rollback with no unfinished run puts blue on it, as the replaced tool's "
           "rollback did (the variable only: rollback's flag is --to-version).",
           (*RELEASE, "rollback"), ("VERSION_LABEL",), max_length=NAME_LIMIT,
           variable_only=("rollback",), rule="1-100 characters (EB)"),
    Option("bundle", "A source bundle (zip) to upload and register (content-hash key; "
           "re-running reuses it).", RELEASE, ("BLUEGREEN_BUNDLE",), max_length=4096,
           metavar="PATH"),
    Option("bucket", "The S3 bucket for bundles.", RELEASE, ("S3_ARTIFACTS_BUCKET",),
           max_length=63, check=bucket_name_problem, rule="an S3 bucket name: 3-63 characters"),
    Option("health_path", "Health check path; a value starting with http:// or https:// is the "
           "whole URL (give it again to resume or cut over a run whose URL held a secret).",
           DRIVE, ("RELEASE_HEALTH_CHECKING_PATH",), default="/", max_length=MAX_HEALTH_PATH,
           check=health_path_problem, rule="a path, or an http(s) URL"),
    Option("region", "AWS region.", RUNNERS, ("AWS_DEFAULT_REGION", "AWS_REGION"),
           max_length=32, check=region_problem, rule="e.g. eu-west-1"),
    Option("to_version", "With no unfinished run: put blue on this version.", ("rollback",),
           min_length=1, max_length=NAME_LIMIT, setting=False, rule="1-100 characters (EB)"),
)  # fmt: skip

RUNNING = (
    Option("auth_method", "SSO: use the profile SSO_PROFILE; default: boto3's credential chain.",
           RUNNERS, ("AUTH_METHOD",), default="default", max_length=16, check=_auth_method,
           flag=False, rule="SSO or default"),
    Option("sso_profile", "The AWS profile for AUTH_METHOD=SSO.", RUNNERS, ("SSO_PROFILE",),
           max_length=128, flag=False),
    Option("database_url", "Run history database (SQLAlchemy URL); default: SQLite at "
           "$XDG_STATE_HOME/bluegreen/runs.db.", (*RUNNERS, *HISTORY),
           ("BLUEGREEN_DATABASE_URL",), max_length=URL_LIMIT, check=_database_url,
           metavar="URL", rule="not an in-memory SQLite"),
    Option("log_format", "Progress output (auto: a live view on a terminal).", RUNNERS,
           ("BLUEGREEN_LOG_FORMAT",), "choice", "auto", choices=("auto", "text", "json")),
    Option("notify_url", "Webhook for run notifications (docs/notifications.md); several, "
           "separated by spaces, each get every event (each in its own format under auto).",
           RUNNERS,
           ("BLUEGREEN_NOTIFY_URL",), max_length=URL_LIMIT, metavar="URL"),
    Option("notify_on", "The events to notify (comma-separated, or all): "
           f"{', '.join(EVENTS)}.", RUNNERS, ("BLUEGREEN_NOTIFY_ON",),
           default=",".join(DEFAULT_EVENTS), max_length=512, check=events_problem,
           metavar="EVENTS", rule="event names separated by commas, or all"),
    Option("notify_format", "The webhook's message: json (the run summary), slack (Block "
           "Kit), teams (an Adaptive Card); auto: slack for hooks.slack.com, teams for "
           "Microsoft's webhook and workflow hosts, else json.", RUNNERS,
           ("BLUEGREEN_NOTIFY_FORMAT",), "choice", "auto",
           choices=("auto", "json", "slack", "teams")),
    Option("wait_for_lock", "Seconds to wait for a busy target or run (held by a live runner) "
           "instead of exiting 3.", DRIVE, ("BLUEGREEN_WAIT_FOR_LOCK",), "number", 0.0, 0,
           high=DAY),
    Option("lease_seconds", "The runner's lease (renewed every third of it).", RUNNERS,
           ("BLUEGREEN_LEASE_SECONDS",), "number", 60.0, 3, high=DAY),
    Option("on_unfinished", "An unfinished run holds the target: fail (exit 3), or resume it "
           "if its lease expired or its runner is gone from this host.", RELEASE,
           ("BLUEGREEN_ON_UNFINISHED",), "choice", "fail", choices=("fail", "resume")),
)  # fmt: skip

GUARDS = (
    Option("dns_settle", "Seconds after each CNAME swap before the environment the live name "
           "left is touched (default: EB's 60 s TTL + 60 s propagation).", RELEASE_INPUTS,
           ("BLUEGREEN_DNS_SETTLE",), "number", DEFAULT_DNS_SETTLE_SECONDS, 0, high=DAY),
    Option("bake", "Seconds after the cutover to keep watching blue, green kept to swap back "
           "to.", RELEASE_INPUTS, ("BLUEGREEN_BAKE",), "number", 0.0, 0, high=DAY),
    Option("alarms", "CloudWatch alarm that stops the release in ALARM; repeat the flag (commas "
           "in the variable).", RELEASE_INPUTS, ("BLUEGREEN_ALARMS",), "list", "",
           max_length=ALARM_NAME_LIMIT, flag_name="--alarm", metavar="NAME",
           rule="each 1-255 characters (CloudWatch)"),
    Option("route53_records", "Custom domain that follows the live traffic; repeat the flag "
           "(commas in the variable).", RELEASE, ("BLUEGREEN_ROUTE53_RECORDS",), "list",
           max_length=254, flag_name="--route53-record", metavar="NAME", rule="a DNS name"),
    Option("hosted_zone_id", "The records' Route 53 hosted zone.", RELEASE,
           ("BLUEGREEN_HOSTED_ZONE_ID",), max_length=ZONE_ID_LIMIT + len("/hostedzone/")),
    Option("route53_from_ssm", "1: read the records and the zone from the replaced tool's SSM "
           "parameters.", RELEASE, ("BLUEGREEN_ROUTE53_FROM_SSM",), "switch", False, flag=False),
)  # fmt: skip

# Green as strong as blue: capacity warm-up before
# each swap, green's settings compared with blue's, a blue busy in a foreign operation.
CAPACITY = (
    Option("warm_up", "Raise green's capacity to blue's in-service count before it takes the "
           "live CNAME, and blue's before the cutover.", RELEASE, ("BLUEGREEN_WARM_UP",),
           "switch", True, off_flag="--no-warm-up"),
    Option("warm_up_deadline", "Seconds the warm-up may take before the release rolls back, "
           "before any swap.", RELEASE, ("BLUEGREEN_WARM_UP_DEADLINE",), "number", 900.0, 0,
           True, DAY),
    Option("on_drift", "Green's settings differ from blue's: fail (capacity, instance type, "
           "load balancer, environment variables; others warn) or only warn.", RELEASE,
           ("BLUEGREEN_ON_DRIFT",), "choice", "fail", choices=("fail", "warn")),
    Option("wait_for_blue", "Seconds to wait for a blue busy in an operation not this run's (a "
           "console change, a managed update) before refusing with exit 2.", RELEASE,
           ("BLUEGREEN_WAIT_FOR_BLUE",), "number", 0.0, 0, high=DAY, aliases=("--wait-busy",)),
)  # fmt: skip

# The longest cutover gate: CodeDeploy's blue/green deployments wait at most 2 days for the
# traffic rerouting to be started (its "wait time", up to 2 days).
MAX_CUTOVER_TIMEOUT = 2 * DAY
# Lifecycle hooks and the timed cutover gate (docs/hooks.md).
HOOKS = (
    Option("hooks", "Run COMMAND (no shell) at POINT: before-swap, after-verify, "
           "before-cleanup, on-rollback; repeat the flag (the variable: a JSON array of "
           "\"POINT=COMMAND\" strings). See docs/hooks.md.", RELEASE, ("BLUEGREEN_HOOKS",),
           "list", (), max_length=4096, flag_name="--hook", metavar="POINT=COMMAND",
           rule="POINT=COMMAND, no secret on the command line"),
    Option("hook_timeout", "Seconds a hook may run before its process group is killed.",
           RELEASE, ("BLUEGREEN_HOOK_TIMEOUT",), "number", DEFAULT_HOOK_TIMEOUT_SECONDS, 0, True,
           DAY),
    Option("cutover_timeout", "deploy: seconds the run waits for `bluegreen cutover` before a "
           "worker or the next resume acts as --on-timeout says (default: forever).", RELEASE,
           ("BLUEGREEN_CUTOVER_TIMEOUT",), "number", None, 0, True, MAX_CUTOVER_TIMEOUT),
    Option("on_timeout", "What a timed-out cutover gate does.", RELEASE,
           ("BLUEGREEN_ON_TIMEOUT",), "choice", "rollback", choices=("rollback", "cutover")),
)  # fmt: skip

# Release strategies (docs/strategies.md). EB's aws:elasticbeanstalk:trafficsplitting ranges
# (EB developer guide, "General options for all environments"): NewVersionPercent 1-100
# (default 10), EvaluationTime 3-600 minutes (default 5). 100 % would be no canary: at most 99.
STRATEGIES = (
    Option("strategy", "How live traffic moves (docs/strategies.md).", RELEASE,
           ("BLUEGREEN_STRATEGY",), "choice", "swap-back",
           choices=("swap-back", "swap-and-keep", "traffic-split")),
    Option("keep_old", "swap-and-keep: how long the old environment stays up after the swap "
           "(default: the DNS settle).", RELEASE, ("BLUEGREEN_KEEP_OLD",), max_length=32,
           check=_keep_old, metavar="SECONDS|forever", rule="seconds (0-172800) or forever"),
    Option("canary_percent", "traffic-split: share of live traffic on the new version during "
           "the evaluation.", RELEASE, ("BLUEGREEN_CANARY_PERCENT",), "integer", 10, 1,
           high=99),
    Option("canary_minutes", "traffic-split: evaluation time in minutes.", RELEASE,
           ("BLUEGREEN_CANARY_MINUTES",), "integer", 5, 3, high=600),
)  # fmt: skip

TUNING = (
    _seconds("poll_interval", 1.0, 300, "Seconds between polls of EB at first."),
    _seconds("max_poll_interval", 20.0, 3600, "The longest poll interval (reached when "
             "throttled)."),
    Option("time_scale", "How fast the endpoint's time runs compared to AWS's (the simulator at "
           "speed 100: 0.01).", RUNNERS, ("BLUEGREEN_TIME_SCALE",), "number", 1.0, 0, True, 1,
           flag=False),
    Option("retry_mode", "botocore's retry mode.", RUNNERS, ("BLUEGREEN_RETRY_MODE",), "choice",
           "standard", choices=("standard", "adaptive"), flag=False),
    _count("max_attempts", 8, 100, "Attempts per AWS call (botocore's).", RUNNERS),
    _seconds("launch_deadline", 1800, DAY, "Seconds for green to launch."),
    _seconds("update_deadline", 1200, DAY, "Seconds for an environment update."),
    _seconds("swap_deadline", 600, DAY, "Seconds for a CNAME swap to show."),
    _seconds("terminate_deadline", 1800, DAY, "Seconds for green to terminate."),
    _seconds("version_deadline", 600, DAY, "Seconds for a version to be processed."),
    _seconds("health_grace", 120, DAY, "Seconds Ready-but-Red is tolerated.", low_open=False),
    _seconds("visibility_window", 60, DAY, "Seconds a swap asked for may take to show in EB "
             "before it is taken as not done.", low_open=False),
    _count("health_successes", 3, 1000, "Health probes in a row that pass the check.",
           RELEASE_INPUTS),
    _seconds("health_interval", 2.0, 3600, "Seconds between health probes.", low_open=False,
             commands=RELEASE_INPUTS),
    _seconds("health_timeout", 5.0, 600, "Seconds per health probe.", commands=RELEASE_INPUTS),
    _seconds("health_deadline", 120, DAY, "Seconds the health check may take.",
             commands=RELEASE_INPUTS),
    Option("health_expected_status", "The HTTP statuses that pass (comma-separated).",
           RELEASE_INPUTS, ("BLUEGREEN_HEALTH_EXPECTED_STATUS",), default="200", max_length=200,
           check=_status_codes, flag=False, rule="HTTP status codes, e.g. 200,204"),
    _count("health_failures", 3, 1000, "Failed probes in a row that fail the check at once "
           "(fewer, e.g. one timeout, are retried).", RELEASE_INPUTS),
)  # fmt: skip

# Flags one command reads itself (not settings).
COMMAND_FLAGS = (
    Option("mode", "full: the whole release; deploy: up to the deployment, then wait for "
           "cutover.", ("submit",), kind="choice", default="full", choices=("full", "deploy"),
           setting=False),
    Option("follow", "Follow the run to its end.", ("submit",), kind="switch", default=False,
           flag_name="--wait", setting=False),
    Option("targets", "A fleet release: one target a line, `APP BLUE GREEN [REGION]`, released "
           "in waves and followed to the end (docs/unattended.md).", ("submit",),
           max_length=4096, metavar="FILE", setting=False),
    Option("wave_size", "--targets: targets queued at once; the next wave only when every run "
           "of this one succeeded.", ("submit",), (), "integer", 1, 1, high=MAX_FLEET,
           setting=False),
    Option("batch", "--targets: the fleet release's id (default: a new one); the id of an "
           "earlier one continues it, skipping what succeeded.", ("submit",), max_length=64,
           check=batch_id_problem, metavar="ID", setting=False, rule=BATCH_ID_RULE),
    Option("concurrency", "Runs driven at once (all on one poller).", ("worker",), (),
           "integer", 4, 1, high=256, setting=False),
    Option("metrics_port", "Serve Prometheus metrics on this port (needs the metrics extra).",
           ("worker",), (), "integer", None, 1, high=65535, setting=False),
    Option("metrics_address", "The metrics endpoint's address (0.0.0.0: every interface).",
           ("worker",), default="127.0.0.1", max_length=253, setting=False),
    Option("textfile", "The .prom file to write (atomically).", ("metrics",), max_length=4096,
           metavar="FILE", setting=False),
    Option("speed", "Simulator time scale.", ("demo",), (), "number", 100.0, 0, True, 10_000,
           setting=False),
    Option("app_filter", "Only runs of this EB application.", ("runs list", "status"),
           max_length=NAME_LIMIT, flag_name="--app", setting=False),
    Option("blue_filter", "Only runs releasing to this (blue) environment.", ("runs list",),
           max_length=40, flag_name="--blue", setting=False),
    Option("batch_filter", "Only runs of this fleet release (`submit --targets`).",
           ("runs list",), max_length=64, flag_name="--batch", metavar="ID", setting=False),
    Option("states", "Only runs in this state (repeatable).", ("runs list",), kind="list",
           choices=tuple(state.value for state in State), max_length=32, flag_name="--state",
           setting=False),
    Option("since", "Only runs created since: 7d, 12h, or a date.", ("runs list",),
           max_length=64, setting=False),
    Option("limit", "At most this many runs.", ("runs list",), (), "integer", 50, 1,
           high=1_000_000, setting=False),
    Option("as_json", "Print JSON.", ("runs list", "runs show", "status", "workers"),
           kind="switch", default=False, flag_name="--json", setting=False),
    Option("output", "The file to write (report: HTML; export: JSON, default standard "
           "output).", ("runs report", "runs export"), max_length=4096, metavar="FILE",
           setting=False),
    Option("force", "Overwrite FILE even if it is not a report or export of bluegreen.",
           ("runs report", "runs export"), kind="switch", default=False, setting=False),
    Option("older_than", "Delete finished runs that finished longer ago than this: days (7, "
           "0.5) or an age (7d, 12h, 30m, 2w); at most 100 years.", ("runs prune",),
           max_length=64, metavar="AGE", setting=False),
)  # fmt: skip

OPTIONS: tuple[Option, ...] = (*TARGET, *RUNNING, *GUARDS, *CAPACITY, *HOOKS, *STRATEGIES,
                               *TUNING, *COMMAND_FLAGS)  # fmt: skip
BY_NAME = {option.name: option for option in OPTIONS}
SETTINGS = tuple(option for option in OPTIONS if option.setting)
COMMANDS = (*RUNNERS, "demo", *HISTORY)


def options_of(command: str) -> list[Option]:
    """The options `command` takes, in declaration order."""
    return [option for option in OPTIONS if command in option.commands]
