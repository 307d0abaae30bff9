"""The crash tests' hook is test code: production wires no hooks, a test that sets
BLUEGREEN_TEST_CRASH_AT gets the hook from tests/plugins, and nothing of it is in the package."""

from __future__ import annotations

import importlib.util

import pytest

from engine.domain.errors import ConfigurationError
from engine.operator import bootstrap
from engine.release.hooks import CRASH_ENV_VAR, NoHooks


def test_without_the_variable_a_drive_has_no_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CRASH_ENV_VAR, raising=False)
    assert isinstance(bootstrap._drive_hooks(), NoHooks)


def test_with_the_variable_the_hook_comes_from_the_test_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CRASH_ENV_VAR, "state:deploying")
    hooks = bootstrap._drive_hooks()
    assert type(hooks).__module__ == "bluegreen_crash_hooks"
    assert hooks.point == "state:deploying"  # type: ignore[attr-defined]


def test_with_the_variable_but_no_hook_module_the_command_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CRASH_ENV_VAR, "state:deploying")
    monkeypatch.setattr(bootstrap, "CRASH_HOOKS_MODULE", "no_such_crash_hooks")
    with pytest.raises(ConfigurationError, match="not importable") as refused:
        bootstrap._drive_hooks()
    assert "\n" not in str(refused.value)


def test_the_package_holds_no_test_hooks() -> None:
    assert importlib.util.find_spec("engine.testing") is None
    spec = importlib.util.find_spec("bluegreen_crash_hooks")
    assert spec is not None and spec.origin is not None
    assert "/tests/plugins/" in spec.origin
