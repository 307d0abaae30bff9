"""Nothing the tool prints may carry a credential: shapes of secrets and known values."""

from __future__ import annotations

import pytest

from engine.release.redact import MASK, MAX_SCAN_CHARS, Redactor, mask_shapes

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr" + "A1b2C3d4E5f6G7h8" * 10 + "=="


@pytest.mark.parametrize(
    "secret",
    ["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", SECRET_KEY, SESSION_TOKEN],
)
def test_aws_credentials_are_masked_wherever_they_appear(secret: str) -> None:
    text = Redactor().text(f"calling with {secret} now")
    assert secret not in text
    assert MASK in text


def test_a_url_password_is_masked_and_the_user_and_host_stay() -> None:
    text = Redactor().text("postgresql+psycopg://deploy:s3cr3t-pw@db.internal:5432/runs")
    assert "s3cr3t-pw" not in text
    assert text == "postgresql+psycopg://deploy:***@db.internal:5432/runs"


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("https://s3/b/k?X-Amz-Signature=abcdef123456&X-Amz-Expires=60", "abcdef123456"),
        ("https://hooks.example/x?token=tok-99887766", "tok-99887766"),
        ("aws_secret_access_key = hunter2hunter2", "hunter2hunter2"),
        ('{"password": "pa55word"}', "pa55word"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
    ],
)
def test_secret_looking_parameters_and_assignments_are_masked(text: str, leaked: str) -> None:
    assert leaked not in Redactor().text(text)


def test_values_of_credential_variables_are_masked_even_when_they_look_harmless() -> None:
    environ = {
        "AWS_SECRET_ACCESS_KEY": "dummy-secret-value-1234",
        "AWS_SESSION_TOKEN": "plain-session",
        "BLUEGREEN_NOTIFY_URL": "https://hooks.slack.com/services/T000/B000/XXXX",
        "MY_API_TOKEN": "team-token-42",
        "HOME": "/root",
    }
    redactor = Redactor.from_environment(environ)
    text = redactor.text(
        "dummy-secret-value-1234 plain-session team-token-42 "
        "posting to https://hooks.slack.com/services/T000/B000/XXXX from /root"
    )
    for secret in ("dummy-secret-value-1234", "plain-session", "team-token-42", "T000/B000"):
        assert secret not in text
    assert "/root" in text


def test_extra_secrets_such_as_a_notify_url_flag_are_masked() -> None:
    redactor = Redactor.from_environment({}, extra=["https://example.test/hook/abcdef"])
    assert "abcdef" not in redactor.text("posted to https://example.test/hook/abcdef")


def test_ordinary_release_output_is_left_alone() -> None:
    text = (
        "Completed swapping CNAMEs for environments shop-blue-green and shop-blue. "
        "run f00dfeed12345678 template bluegreen-f00dfeed12345678 e-blue12345 "
        "commit 3f786850e387550fdab836ed7e6dc881de23001b version v2"
    )
    assert Redactor().text(text) == text


def test_short_variable_values_are_not_masked_everywhere() -> None:
    redactor = Redactor.from_environment({"AWS_SESSION_TOKEN": "x"})
    assert redactor.text("xylophone") == "xylophone"


def test_json_like_data_is_redacted_inside_and_keeps_its_shape() -> None:
    data = {"url": "https://u:pw123456@h/p", "list": ["AKIAIOSFODNN7EXAMPLE", 3], "n": None}
    assert Redactor().data(data) == {"url": "https://u:***@h/p", "list": [MASK, 3], "n": None}


# Shapes that made the old patterns restart at every character: quadratic, 41 s at 20,000
# characters, so the sizes below would have taken many minutes (past pytest's timeout).
HOSTILE_SHAPES = ["a", "tokenkey_", "h1+.", "abc/", "http://u:p@h/", "x_token=v;"]


@pytest.mark.parametrize("unit", HOSTILE_SHAPES)
def test_the_secret_patterns_read_a_long_hostile_string_once(unit: str) -> None:
    text = (unit * (200_000 // len(unit) + 1))[:200_000]

    assert len(mask_shapes(text)) > 0


def test_a_one_megabyte_string_is_cut_at_the_scan_bound_with_a_note() -> None:
    text = Redactor(secrets=("hunter2-hunter2",)).text("x_token=" + "a" * 1_000_000)

    assert len(text) < MAX_SCAN_CHARS + 100
    assert text.startswith("x_token=***")
    assert text.endswith(f"({1_000_008 - MAX_SCAN_CHARS} more characters not shown)")


def test_a_name_that_only_contains_a_secret_word_keeps_its_value() -> None:
    assert Redactor().text("tokens_left=5 https://host/x?page=2") == (
        "tokens_left=5 https://host/x?page=2"
    )
