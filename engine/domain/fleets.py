"""A fleet release's targets file, and its waves: plain values, checked before anything is
queued (`bluegreen submit --targets FILE`, docs/unattended.md).

The file: one target a line, `APP BLUE GREEN [REGION]`, words split as a POSIX shell splits
them (spaces or tabs; quote an application name that holds a space or a `#`); `#` starts a
comment; blank lines are skipped. Every line is checked against EB's own rules
(`engine.domain.aws_names`, `engine.domain.environment_names`), and an environment named twice
in one region (two lines releasing to the same blue, or one's green another's blue) is
refused: the first problem is one line naming `FILE:LINE`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TypeVar

from engine.domain.aws_names import NAME_LIMIT, application_name_problem, region_problem
from engine.domain.environment_names import environment_name_problem
from engine.domain.errors import ConfigurationError
from engine.domain.text_checks import control_character_in

T = TypeVar("T")
MAX_FLEET = 1000  # targets in one file: a larger fleet is several batches
FIELDS = "APP BLUE GREEN [REGION]"
_BATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
BATCH_ID_RULE = "1-64 letters, digits, dots, hyphens or underscores"


def batch_id_problem(value: str) -> str | None:
    return None if _BATCH_ID.fullmatch(value) else f"must be {BATCH_ID_RULE}"


@dataclass(frozen=True)
class FleetTarget:
    """One line of the targets file: what to release where."""

    line: int
    app: str
    blue: str
    green: str
    region: str

    @property
    def name(self) -> str:
        """How the fleet's output names the target: `region/app/blue`."""
        return f"{self.region}/{self.app}/{self.blue}"

    def same_pair(self, region: str, app: str, blue: str, green: str) -> bool:
        """Whether a run of (region, app, blue, green) releases this target (swap-and-keep
        swaps blue and green between releases; EB compares names without regard to case)."""
        ours = {self.blue.casefold(), self.green.casefold()}
        theirs = {blue.casefold(), green.casefold()}
        return region == self.region and app == self.app and ours == theirs


def parse_targets(text: str, source: str, default_region: str | None) -> tuple[FleetTarget, ...]:
    """Every target of a targets file's `text` (`source`: its name, for messages); a line
    without a region takes `default_region`. Raises ConfigurationError naming `source:LINE`."""
    targets: list[FleetTarget] = []
    seen: dict[tuple[str, str], int] = {}  # (region, environment casefolded) -> its line
    for number, line in enumerate(text.splitlines(), start=1):
        target = _target_of(line, number, source, default_region)
        if target is None:
            continue
        for environment in (target.blue, target.green):
            key = (target.region, environment.casefold())
            if key in seen:
                raise ConfigurationError(
                    f"{source}:{number}: environment {environment} is already on line "
                    f"{seen[key]} (in {target.region}): each target and green once per file"
                )
            seen[key] = number
        targets.append(target)
        if len(targets) > MAX_FLEET:
            raise ConfigurationError(f"{source}: more than {MAX_FLEET} targets; split the file")
    if not targets:
        raise ConfigurationError(f"{source}: no target in it (one a line: {FIELDS})")
    return tuple(targets)


def _target_of(
    line: str, number: int, source: str, default_region: str | None
) -> FleetTarget | None:
    where = f"{source}:{number}"
    if control := control_character_in(line.replace("\t", " ")):
        raise ConfigurationError(f"{where}: holds the control character {control}")
    try:
        words = shlex.split(line, comments=True)
    except ValueError as error:  # "No closing quotation"
        raise ConfigurationError(f"{where}: {str(error).lower()}") from None
    if not words:
        return None
    if len(words) not in (3, 4):
        commas = " separated by spaces, not commas" if "," in line and len(words) < 3 else ""
        raise ConfigurationError(f"{where}: {len(words)} fields; a line is {FIELDS}{commas}")
    app, blue, green = words[:3]
    region = words[3] if len(words) == 4 else default_region
    if problem := _app_problem(app):
        raise ConfigurationError(f"{where}: application {app!r} {problem}")
    for role, name in (("blue", blue), ("green", green)):
        if problem := environment_name_problem(name):
            raise ConfigurationError(f"{where}: {role} environment {name!r} {problem} (EB)")
    if blue.casefold() == green.casefold():
        raise ConfigurationError(
            f"{where}: blue and green must differ (EB compares environment names without "
            "regard to case)"
        )
    if region is None:
        raise ConfigurationError(
            f"{where}: no region: give it as the fourth field, or set --region / "
            "AWS_DEFAULT_REGION for every line"
        )
    if problem := region_problem(region):
        raise ConfigurationError(f"{where}: region {region!r} {problem}")
    return FleetTarget(number, app, blue, green, region)


def _app_problem(app: str) -> str | None:
    if len(app) > NAME_LIMIT:
        return f"is {len(app)} characters, more than {NAME_LIMIT} (EB)"
    return application_name_problem(app)


def waves_of(targets: tuple[T, ...], size: int) -> list[tuple[T, ...]]:
    """`targets` in waves of `size`, in the file's order (the last one may be smaller)."""
    return [targets[start : start + size] for start in range(0, len(targets), size)]
