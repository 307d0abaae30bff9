"""Drift: before green serves, its option settings are compared with blue's. A clone copies
only what EB manages ("clones don't include any unmanaged changes", EB guide, "Clone an
environment"), and a console change may come between the clone and the swap.

Everything but names, CNAMEs and generated values is compared. `Guards.on_drift` "fail"
refuses a difference in capacity (a green smaller than blue), instance type, load balancer or
environment variables and records the others as warnings; "warn" records them all. A green
*larger* than blue (the warm-up raised it) is no drift.
"""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.model import EventSource
from engine.domain.ports.cloud import OptionKey
from engine.domain.step import StepContext
from states.shared.capacity import MAX_SIZE, MIN_SIZE, size
from states.shared.resources import describe_by_id, require

# Values EB generates per environment, or that name it.
IGNORED_NAMESPACES = ("aws:cloudformation:template:parameter",)
IGNORED_OPTIONS = frozenset(
    {
        ("aws:elasticbeanstalk:environment", "EnvironmentName"),
        ("aws:elasticbeanstalk:environment", "CNAMEPrefix"),
        ("aws:elbv2:loadbalancer", "SharedLoadBalancer"),
    }
)
CRITICAL_NAMESPACES = (
    "aws:autoscaling:asg",
    "aws:elbv2:",
    "aws:elb:",
    "aws:elasticbeanstalk:application:environment",
)
CRITICAL_OPTIONS = frozenset(
    {
        ("aws:autoscaling:launchconfiguration", "InstanceType"),
        ("aws:ec2:instances", "InstanceTypes"),
        ("aws:elasticbeanstalk:environment", "LoadBalancerType"),
        ("aws:elasticbeanstalk:environment", "EnvironmentType"),
    }
)

Difference = tuple[OptionKey, str | None, str | None]  # key, blue's value, green's value


def check_drift(ctx: StepContext) -> None:
    """Compare green's settings with blue's; record the differences; fail per the policy."""
    app = ctx.run.target.app
    blue = describe_by_id(ctx, require(ctx.run.facts.blue_env_id, "blue environment id"))
    green = describe_by_id(ctx, require(ctx.run.facts.green_env_id, "green environment id"))
    if blue is None or green is None:
        return
    differences = differences_between(
        ctx.beanstalk.option_settings(app, environment_name=blue.name),
        ctx.beanstalk.option_settings(app, environment_name=green.name),
    )
    if not differences:
        ctx.journal.event(EventSource.ENGINE, "drift check: green's settings match blue's")
        return
    critical = [d for d in differences if is_critical(d[0])]
    failing = critical if ctx.run.guards.on_drift == "fail" else []
    rows = [_row(d, d in failing) for d in differences]
    summary = "; ".join(_text(d) for d in differences)
    ctx.journal.event(EventSource.ENGINE, f"drift check: green differs from blue: {summary}",
                      drift=rows, policy=ctx.run.guards.on_drift)  # fmt: skip
    if failing:
        raise StepFailed(
            f"drift: green {green.name} differs from blue {blue.name} in "
            f"{'; '.join(_text(d) for d in failing)} (--on-drift warn lets it through)"
        )


Settings = dict[OptionKey, str]


def differences_between(blue: Settings, green: Settings) -> list[Difference]:
    found: list[Difference] = []
    for key in sorted(set(blue) | set(green)):
        if key in IGNORED_OPTIONS or key[0].startswith(IGNORED_NAMESPACES):
            continue
        if blue.get(key) == green.get(key) or _larger(key, blue, green):
            continue
        found.append((key, blue.get(key), green.get(key)))
    return found


def _larger(key: OptionKey, blue: Settings, green: Settings) -> bool:
    """A green sized above blue (the warm-up's doing) is no weakness."""
    return key in (MIN_SIZE, MAX_SIZE) and size(green, key) >= size(blue, key)


def is_critical(key: OptionKey) -> bool:
    return key in CRITICAL_OPTIONS or key[0].startswith(CRITICAL_NAMESPACES)


SECRET_NAMESPACES = ("aws:elasticbeanstalk:application:environment",)


def _shown(key: OptionKey, value: str | None) -> str | None:
    """Environment properties often hold secrets: the history says they differ, not how."""
    if value is None or not key[0].startswith(SECRET_NAMESPACES):
        return value
    return "(set)"


def _text(difference: Difference) -> str:
    key, blue, green = difference
    return f"{key[0]} {key[1]}: blue {_shown(key, blue)!r}, green {_shown(key, green)!r}"


def _row(difference: Difference, fails: bool) -> dict[str, str | None]:
    key, blue, green = difference
    return {
        "namespace": key[0],
        "option": key[1],
        "blue": _shown(key, blue),
        "green": _shown(key, green),
        "verdict": "fail" if fails else "warn",
    }
