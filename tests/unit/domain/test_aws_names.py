"""AWS's documented limits on names, and the one environment-name rule."""

from __future__ import annotations

import pytest

from engine.domain.aws_names import (
    DESCRIPTION_LIMIT,
    application_name_problem,
    bucket_name_problem,
    description_within_limit,
    region_problem,
)
from engine.domain.environment_names import environment_name_problem


@pytest.mark.parametrize("name", ["shop", "shop-blue", "a1b2", "A" * 40, "e-1234"])
def test_environment_names_eb_accepts(name: str) -> None:
    assert environment_name_problem(name) is None


@pytest.mark.parametrize("name", ["abc", "A" * 41, "-shop", "shop-", "shop_blue", "shöp", ""])
def test_environment_names_eb_refuses(name: str) -> None:
    assert environment_name_problem(name)


def test_an_application_name_holds_no_slash() -> None:
    assert application_name_problem("shop web") is None
    assert application_name_problem("shop/web")


BUCKETS = [("artifacts", True), ("my.bucket-1", True), ("ab", False), ("My_Bucket", False),
           ("a..b", False), ("-ab", False), ("a" * 64, False)]  # fmt: skip


@pytest.mark.parametrize(("name", "ok"), BUCKETS)
def test_bucket_names_follow_s3s_rules(name: str, ok: bool) -> None:
    assert (bucket_name_problem(name) is None) is ok


@pytest.mark.parametrize(("name", "ok"), [("us-east-1", True), ("us-gov-west-1", True),
                                          ("ap-southeast-4", True), ("mars", False),
                                          ("US-EAST-1", False), ("eu-west-1 ", False)])  # fmt: skip
def test_region_names(name: str, ok: bool) -> None:
    assert (region_problem(name) is None) is ok


def test_a_description_is_cut_to_ebs_200_characters() -> None:
    assert description_within_limit("short") == "short"
    cut = description_within_limit("d" * 500)
    assert len(cut) == DESCRIPTION_LIMIT and cut.endswith("…")
