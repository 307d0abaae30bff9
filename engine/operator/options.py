"""Every option of `bluegreen`, declared once: flag, variables, type, range, limits, help, and
the commands that take it.

The click options (`engine.operator.option_flags`), the settings model (`settings.py`) and
docs/options.md (`python -m engine.operator.options_doc`) are generated from `OPTIONS`. Plain
Python only: the read commands import this without pydantic.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from engine.domain.text_checks import control_character_in

Kind = Literal["text", "number", "integer", "choice", "switch", "list"]
Check = Callable[[str], "str | None"]  # why a text value is refused, or None


@dataclass(frozen=True)
class Option:
    """One option. `variables`: the environment variables that set it (the first is named in
    messages); `flag`: False for a variable-only setting; `setting`: False for a flag that
    only its command reads (not in Settings)."""

    name: str
    help: str
    commands: tuple[str, ...]
    variables: tuple[str, ...] = ()
    kind: Kind = "text"
    default: object = None
    low: float | None = None  # numbers: the lowest value, excluded when `low_open`
    low_open: bool = False
    high: float | None = None  # numbers: the highest value (always finite)
    min_length: int = 0  # text and list items; 0: an empty value means "not given"
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    check: Check | None = None  # a rule beyond length, e.g. EB's environment-name rule
    rule: str = ""  # the rule in words, for docs/options.md
    flag: bool = True
    variable_only: tuple[str, ...] = ()  # commands that read the variable but take no flag
    setting: bool = True
    flag_name: str | None = None  # default: --name-with-hyphens
    aliases: tuple[str, ...] = ()  # other spellings of the flag, e.g. --wait-busy
    off_flag: str | None = None  # a switch's flag that turns it off, e.g. --no-warm-up
    metavar: str | None = None

    @property
    def cli_flag(self) -> str:
        return self.flag_name or "--" + self.name.replace("_", "-")

    def flag_on(self, command: str) -> bool:
        """Whether `command` takes this option's flag (else only its variable, if any)."""
        return self.flag and command not in self.variable_only

    @property
    def cli_flags(self) -> tuple[str, ...]:
        """Every spelling of the flag: the flag, its aliases and a switch's off flag."""
        return (self.cli_flag, *self.aliases, *((self.off_flag,) if self.off_flag else ()))

    @property
    def variable(self) -> str | None:
        return self.variables[0] if self.variables else None

    @property
    def label(self) -> str:
        """`--blue / BLUE_ENV_NAME`: how a user sets it, for error messages."""
        names = ([self.cli_flag] if self.flag else []) + list(self.variables[:1])
        return " / ".join(names) or self.name

    def text_problem(self, value: str) -> str | None:
        """Why a text value (or one item of a list) is refused, or None."""
        if control := control_character_in(value):
            return f"holds the control character {control}"
        if self.max_length is not None and len(value) > self.max_length:
            return f"{len(value)} characters, more than {self.max_length}"
        if len(value) < self.min_length:
            return f"must be at least {self.min_length} characters"
        if self.choices and value not in self.choices:
            allowed = [f"'{choice}'" for choice in self.choices]
            return f"must be {', '.join(allowed[:-1])} or {allowed[-1]}"
        return self.check(value) if self.check else None

    def number_problem(self, value: float) -> str | None:
        """Why a number is refused (not finite, out of range), or None."""
        if not math.isfinite(value):
            return "must be a finite number"
        low, high = self.low, self.high
        if low is not None and (value <= low if self.low_open else value < low):
            return f"must be {'above' if self.low_open else 'at least'} {_number(low)}"
        if high is not None and value > high:
            return f"must be at most {_number(high)}"
        return None

    def parse_number(self, text: str) -> float | int:
        """A flag's or variable's text as this option's number; ValueError says why not."""
        try:
            value: float | int = int(text) if self.kind == "integer" else float(text)
        except ValueError:
            what = "a whole number" if self.kind == "integer" else "a number"
            raise ValueError(f"must be {what}, not {text[:40]!r}") from None
        if problem := self.number_problem(value):
            raise ValueError(problem)
        return value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
