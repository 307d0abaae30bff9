"""Every kind of bad input is refused with one line naming the flag or variable, before
anything is opened: health paths, tuning numbers, the database URL, bundles, names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from engine.domain.bundles import MAX_BUNDLE_BYTES, check_bundle
from engine.domain.errors import ConfigurationError
from engine.domain.health_urls import health_path_problem
from engine.domain.model import Mode
from engine.domain.text_checks import printable
from engine.operator.inputs import release_request
from engine.operator.settings import is_in_memory_sqlite, load_settings

TARGET = {
    "BEANSTALK_APP_NAME": "shop",
    "BLUE_ENV_NAME": "shop-blue",
    "GREEN_ENV_NAME": "shop-green",
    "VERSION_LABEL": "v2",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


def refusal(**overrides: object) -> str:
    with pytest.raises(ConfigurationError) as refused:
        release_request(load_settings({**TARGET, **overrides}), Mode.FULL)
    message = str(refused.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    "path",
    ["/", "/health", "health", "/x?next=http://a/b", "http://shop.example/up",
     "https://10.0.0.1:8443/health?x=1", "http://[::1]:8080/"],
)  # fmt: skip
def test_paths_and_http_urls_that_can_be_probed_are_accepted(path: str) -> None:
    assert health_path_problem(path) is None


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("http://", "names no host"),
        ("http://[::1/x", "is not a URL"),
        ("/up\nforged", "control character \\n"),
        ("http://host:99999/", "is not a URL"),
        ("ftp://example/x", "not ftp://"),
        ("javascript:alert(1)", "not javascript:"),
        ("mailto:ops@example.com", "not mailto:"),
        ("/" + "a" * 3000, "more than 2048"),
        ("http://bad_host!/", "no valid host"),
        ("", "empty"),
    ],
)
def test_a_health_path_that_cannot_be_probed_is_refused(path: str, said: str) -> None:
    message = refusal(RELEASE_HEALTH_CHECKING_PATH=path)

    assert message.startswith("invalid settings: --health-path / RELEASE_HEALTH_CHECKING_PATH")
    assert said in message


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e300"])
@pytest.mark.parametrize(
    "variable",
    ["BLUEGREEN_POLL_INTERVAL", "BLUEGREEN_LEASE_SECONDS", "BLUEGREEN_LAUNCH_DEADLINE",
     "BLUEGREEN_UPDATE_DEADLINE", "BLUEGREEN_HEALTH_DEADLINE", "BLUEGREEN_HEALTH_INTERVAL",
     "BLUEGREEN_WAIT_FOR_LOCK", "BLUEGREEN_HEALTH_GRACE", "BLUEGREEN_MAX_POLL_INTERVAL"],
)  # fmt: skip
def test_a_tuning_number_must_be_finite_and_in_its_range(variable: str, value: str) -> None:
    assert variable in refusal(**{variable: value})


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite+pysqlite:///f?mode=memory"]
)
def test_an_in_memory_sqlite_history_is_refused(url: str) -> None:
    assert is_in_memory_sqlite(url)
    assert "in-memory" in refusal(BLUEGREEN_DATABASE_URL=url)


@pytest.mark.parametrize("url", ["sqlite:////var/lib/runs.db", "sqlite:///runs.db",
                                 "postgresql://u@db/runs"])  # fmt: skip
def test_a_persistent_database_url_is_accepted(url: str) -> None:
    assert not is_in_memory_sqlite(url)


@pytest.mark.parametrize("green", ["SHOP-BLUE", "Shop-Blue", "shop-blue"])
def test_green_equal_to_blue_ignoring_case_is_refused(green: str) -> None:
    assert "blue and green must differ" in refusal(GREEN_ENV_NAME=green)


@pytest.mark.parametrize("method", ["SSO", "sso", "default", "DEFAULT"])
def test_auth_method_takes_the_replaced_tools_sso_or_default(method: str) -> None:
    assert load_settings({**TARGET, "AUTH_METHOD": method, "SSO_PROFILE": "p"}).auth_method


def test_an_unknown_auth_method_is_refused_instead_of_meaning_the_default() -> None:
    assert "AUTH_METHOD: must be 'SSO' or 'default', not 'kerberos'" in refusal(
        AUTH_METHOD="kerberos"
    )


@pytest.mark.parametrize(
    "variable", ["VERSION_LABEL", "BEANSTALK_APP_NAME", "S3_ARTIFACTS_BUCKET", "SSO_PROFILE"]
)
def test_a_control_character_in_any_name_or_label_is_refused(variable: str) -> None:
    message = refusal(**{variable: "v2\x1b[2J\nforged"})
    assert "control character \\x1b" in message
    assert "\x1b" not in message


def test_printable_escapes_what_would_move_the_cursor_or_start_a_line() -> None:
    assert printable("a\nb\x1b[31mc\x9bd") == "a\\nb\\x1b[31mc\\x9bd"
    assert printable("x\u2028y\u202ez") == "x\\u2028y\\u202ez"  # line separator, bidi override


def test_a_bundle_must_be_a_whole_zip(tmp_path: Path) -> None:
    junk, truncated, good = tmp_path / "junk.zip", tmp_path / "cut.zip", tmp_path / "ok.zip"
    junk.write_bytes(b"not a zip")
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("index.html", "hello")
    truncated.write_bytes(good.read_bytes()[:-10])

    check_bundle(good)
    for bad in (junk, truncated):
        with pytest.raises(ConfigurationError, match="not a zip file"):
            check_bundle(bad)


def test_a_bundle_over_ebs_500_mb_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.zip"
    with open(big, "wb") as sparse:  # a sparse file: no 500 MB written to disk
        sparse.truncate(MAX_BUNDLE_BYTES + 1)

    with pytest.raises(ConfigurationError, match="at most 500 MB"):
        check_bundle(big)
