"""Which custom domains a release moves: record names and a zone from flags or variables, or
the replaced tool's SSM parameters; its SSM list is read as data, never run as code."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.custom_domains import CustomDomains, parse_name_list
from engine.domain.errors import ConfigurationError
from engine.operator.route53_inputs import custom_domains_of
from engine.operator.settings import load_settings


def domains(**variables: object) -> CustomDomains | None:
    return custom_domains_of(load_settings(variables))


def test_records_and_a_zone_become_the_runs_request() -> None:
    request = domains(
        BLUEGREEN_ROUTE53_RECORDS="www.shop.example,Shop.Example.,www.shop.example",
        BLUEGREEN_HOSTED_ZONE_ID="/hostedzone/Z0123ABC",
    )

    assert request == CustomDomains("Z0123ABC", ("www.shop.example.", "shop.example."))


def test_no_records_means_no_custom_domains() -> None:
    assert domains() is None


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"BLUEGREEN_ROUTE53_RECORDS": "www.shop.example"}, "missing the records' hosted zone"),
        ({"BLUEGREEN_HOSTED_ZONE_ID": "Z0123"}, "a hosted zone without records"),
        (
            {"BLUEGREEN_ROUTE53_RECORDS": "www..shop", "BLUEGREEN_HOSTED_ZONE_ID": "Z1"},
            "'www..shop' is not a DNS record name",
        ),
        (
            {"BLUEGREEN_ROUTE53_RECORDS": "www.shop.example", "BLUEGREEN_HOSTED_ZONE_ID": "z;1"},
            "is not a Route 53 hosted zone id",
        ),
        (
            {"BLUEGREEN_ROUTE53_FROM_SSM": "1", "BLUEGREEN_HOSTED_ZONE_ID": "Z1"},
            "reads the records and the zone from SSM",
        ),
    ],
    ids=["no-zone", "no-records", "bad-name", "bad-zone", "ssm-and-flags"],
)
def test_half_or_bad_custom_domains_are_refused_in_one_line(
    variables: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message) as refused:
        domains(**variables)
    assert "\n" not in str(refused.value)


def test_the_replaced_tools_ssm_switch_asks_preflight_to_read_ssm() -> None:
    assert domains(BLUEGREEN_ROUTE53_FROM_SSM="1") == CustomDomains(from_ssm=True)


@pytest.mark.parametrize(
    "text",
    [
        "['www.shop.example', 'shop.example']",
        '["www.shop.example", "shop.example"]',
        "('www.shop.example', 'shop.example')",
    ],
    ids=["python-list", "json", "python-tuple"],
)
def test_the_replaced_tools_list_reads_as_json_or_a_python_literal(text: str) -> None:
    assert parse_name_list(text, "SSM") == ("www.shop.example.", "shop.example.")


@pytest.mark.parametrize(
    "text",
    [
        "'www.shop.example'",
        "{'www.shop.example': 1}",
        "[]",
        "[1, 2]",
        "['ok', None]",
        "not a list",
        "[" * 4000 + "]" * 4000,
        "x" * 9000,
    ],
    ids=["string", "dict", "empty", "numbers", "none", "words", "deep", "huge"],
)
def test_a_value_that_is_not_a_list_of_names_is_refused(text: str) -> None:
    with pytest.raises(ConfigurationError, match="SSM"):
        parse_name_list(text, "SSM parameter shop")


def test_code_in_the_ssm_value_is_refused_without_being_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = f"[__import__('pathlib').Path({str(marker)!r}).touch() or 'www.shop.example']"

    with pytest.raises(ConfigurationError, match="not a list of record names"):
        parse_name_list(code, "SSM parameter shop")
    assert not marker.exists()
