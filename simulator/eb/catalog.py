"""The platform versions the simulator serves, and how a request's SolutionStackName or
PlatformArn is resolved against them (EB refuses a stack or ARN it does not serve)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.eb import errors

ARN = "arn:aws:elasticbeanstalk:{region}::platform/{name}/{version}"


@dataclass(frozen=True)
class PlatformVersion:
    """One managed platform version: its branch (the platform name), version and stack name."""

    name: str  # e.g. "Python 3.11 running on 64bit Amazon Linux 2023" (also the branch name)
    version: str
    stack: str  # its solution stack name
    lifecycle: str  # PlatformLifecycleState: "Recommended" for the newest, else ""
    language: str = "Python"
    language_version: str = "3.11"

    def arn(self, region: str) -> str:
        return ARN.format(region=region, name=self.name, version=self.version)


_PYTHON = "Python 3.11 running on 64bit Amazon Linux 2023"
# The newest version first; the older one stays served (not Recommended), as EB keeps older
# versions of a supported branch listed (EB docs, "Elastic Beanstalk platform versions").
_STACK = "64bit Amazon Linux 2023 v{} running Python 3.11"
PLATFORMS = (
    PlatformVersion(_PYTHON, "4.3.0", _STACK.format("4.3.0"), "Recommended"),
    PlatformVersion(_PYTHON, "4.1.2", _STACK.format("4.1.2"), ""),
)
CURRENT = PLATFORMS[0]


def by_arn(arn: str, region: str) -> PlatformVersion | None:
    return next((p for p in PLATFORMS if p.arn(region) == arn), None)


def by_stack(stack: str) -> PlatformVersion | None:
    return next((p for p in PLATFORMS if p.stack == stack), None)


def resolve(params: Mapping[str, Any], region: str) -> tuple[str, str]:
    """(solution stack, platform ARN) of the platform a request names, refused as EB refuses
    one it does not serve: "No Solution Stack named '...' found." (real EB's answer to a
    made-up stack, issue 20) and "No Platform named '...' found." (DescribePlatformVersion's).
    An ARN reports its own stack name, never the ARN in its place (DescribeEnvironments of an
    environment made from a PlatformArn: ebcli tests/unit/mock_responses.py, both fields).
    Both members at once are refused: the API reference says to specify one or the other
    (CreateEnvironment, PlatformArn: "If you specify PlatformArn, don't specify
    SolutionStackName"); the EB CLI sends one (ebcli/objects/requests.py)."""
    stack, arn = params.get("SolutionStackName"), params.get("PlatformArn")
    if stack is not None and arn is not None:
        raise errors.combination("You cannot specify both SolutionStackName and PlatformArn.")
    if arn is not None:
        found = by_arn(arn, region)
        if found is None:
            raise errors.invalid(f"No Platform named '{arn}' found.")
        return found.stack, arn
    found = by_stack(str(stack))
    if found is None:
        raise errors.invalid(f"No Solution Stack named '{stack}' found.")
    return found.stack, found.arn(region)


def version_key(text: str) -> tuple[int, ...] | None:
    """A dotted version as numbers (4.10.0 > 4.3.0), None if it is not one."""
    parts = text.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None
