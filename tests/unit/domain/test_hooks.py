"""`--hook POINT=COMMAND` read into a Hook, or refused in one line."""

from __future__ import annotations

import pytest

from engine.domain.errors import ConfigurationError
from engine.domain.hooks import HookPoint, parse_hook


def test_a_hook_is_split_like_a_shell_splits_words_but_never_run_by_one() -> None:
    hook = parse_hook("before-swap=./migrate.sh --db 'my db' $HOME; rm -rf /")

    assert hook.point is HookPoint.BEFORE_SWAP
    assert hook.argv == ["./migrate.sh", "--db", "my db", "$HOME;", "rm", "-rf", "/"]
    assert hook.text == "before-swap=./migrate.sh --db 'my db' $HOME; rm -rf /"


def test_only_on_rollback_is_not_a_gate() -> None:
    assert [p for p in HookPoint if not p.is_gate] == [HookPoint.ON_ROLLBACK]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("after-deploy=x", "unknown hook point 'after-deploy'"),
        ("before-swap", "expected POINT=COMMAND"),
        ("before-swap=   ", "the command is empty"),
        ("before-swap=echo 'open", "cannot split"),
        ("before-swap=echo \x1b[31m", "control character \\x1b"),
    ],
)
def test_bad_hooks_are_refused_in_one_line(text: str, says: str) -> None:
    with pytest.raises(ConfigurationError, match=None) as refused:
        parse_hook(text)

    assert says in str(refused.value) and "\n" not in str(refused.value)
