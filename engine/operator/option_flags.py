"""The click options of a command, generated from the declaration (`option_table`).

A command gets exactly the flags it takes, so click refuses any other (exit 2, one line: see
`cli.Commands.main`). Settings-backed flags reach pydantic as text and are checked there,
with their variable; the other flags are checked here, by `DeclaredValue`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from engine.operator.option_table import RUNNERS, options_of
from engine.operator.options import Option

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class DeclaredValue(click.ParamType[Any]):
    """A flag's value checked against its declaration (limits, finite range, rule)."""

    def __init__(self, option: Option) -> None:
        self.option = option
        self.name = option.kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # a default
        option = self.option
        try:
            if option.kind in ("number", "integer"):
                return option.parse_number(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        if problem := option.text_problem(value):
            self.fail(problem, param, ctx)
        return value


def click_option(option: Option, command: str) -> Decorator:
    """The click option of `option` on `command`."""
    through_settings = option.setting and command in RUNNERS
    metavar = option.metavar or {"number": "NUMBER", "integer": "INTEGER"}.get(option.kind)
    attrs: dict[str, Any] = {"help": _help(option), "metavar": metavar}
    if option.kind == "switch":
        attrs.update(is_flag=True, default=None if through_settings else option.default)
    else:
        attrs["type"] = click.STRING if through_settings else DeclaredValue(option)
        if option.choices and not attrs["metavar"]:
            attrs["metavar"] = "[" + "|".join(option.choices) + "]"
        if option.kind == "list":
            attrs["multiple"] = True
        elif not through_settings and option.default is not None:
            attrs.update(default=option.default, show_default=True)
    if not through_settings and option.variables:
        attrs["envvar"] = list(option.variables)  # read commands do not load the settings
    first = f"{option.cli_flag}/{option.off_flag}" if option.off_flag else option.cli_flag
    names = [first, *option.aliases] + (["-o"] if option.name == "output" else [])
    return click.option(*names, option.name, **attrs)


def flags_for(command: str) -> Decorator:
    """Decorate a command with the flags it takes, in declaration order."""
    decorators = [click_option(o, command) for o in options_of(command) if o.flag_on(command)]

    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def typed_flags(ctx: click.Context, command: str, names: tuple[str, ...]) -> list[str]:
    """The flags among the options `names` the user typed (not defaults, not variables)."""
    typed = [name for name in names if ctx.get_parameter_source(name) is
             click.core.ParameterSource.COMMANDLINE]  # fmt: skip
    by_name = {option.name: option for option in options_of(command)}
    return [by_name[name].cli_flag for name in typed if name in by_name]


def _help(option: Option) -> str:
    variables = " / ".join(option.variables)
    return f"{option.help} ({variables})" if variables else option.help
