"""The targets file of a fleet release: every line checked, the first problem named FILE:LINE."""

from __future__ import annotations

import pytest

from engine.domain.errors import ConfigurationError
from engine.domain.fleets import FleetTarget, batch_id_problem, parse_targets, waves_of

REGION = "eu-west-1"


def parsed(text: str, region: str | None = REGION) -> list[tuple[str, str, str, str, int]]:
    return [(t.app, t.blue, t.green, t.region, t.line)
            for t in parse_targets(text, "fleet.txt", region)]  # fmt: skip


def refusal(text: str, region: str | None = REGION) -> str:
    with pytest.raises(ConfigurationError) as raised:
        parse_targets(text, "fleet.txt", region)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_line_is_app_blue_green_and_an_optional_region_comments_and_blanks_skipped() -> None:
    text = ("# the night's fleet\n\nshop shop-blue shop-green\n"
            "  cart\tcart-blue   cart-green  us-east-1  # the US one\n"
            "'gift shop' gift-blue gift-green\n")  # fmt: skip

    assert parsed(text) == [
        ("shop", "shop-blue", "shop-green", REGION, 3),
        ("cart", "cart-blue", "cart-green", "us-east-1", 4),
        ("gift shop", "gift-blue", "gift-green", REGION, 5),
    ]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("shop shop-blue", "fleet.txt:2: 2 fields; a line is APP BLUE GREEN [REGION]"),
        ("shop a b c d", "fleet.txt:2: 5 fields"),
        (
            "shop,shop-blue,shop-green",
            "1 fields; a line is APP BLUE GREEN [REGION] separated by spaces, not commas",
        ),
        ("shop shop_blue shop-green", "fleet.txt:2: blue environment 'shop_blue' must be 4-40"),
        ("shop shop-blue -green", "fleet.txt:2: green environment '-green' must be"),
        ("a/b shop-blue shop-green", "fleet.txt:2: application 'a/b' must not hold a slash"),
        ("x" * 101 + " shop-blue shop-green", "is 101 characters, more than 100"),
        ("shop shop-blue SHOP-BLUE", "fleet.txt:2: blue and green must differ"),
        ("shop shop-blue shop-green mars-1", "fleet.txt:2: region 'mars-1' is not an AWS region"),
        ("'shop shop-blue shop-green", "fleet.txt:2: no closing quotation"),
        ("shop shop-blue shop-green\x1b", "fleet.txt:2: holds the control character \\x1b"),
    ],
)
def test_a_bad_line_is_named_with_its_file_and_line(line: str, says: str) -> None:
    assert says in refusal(f"ok ok-blue ok-green\n{line}\n")


def test_a_target_twice_or_a_green_that_is_another_lines_blue_is_refused() -> None:
    twice = "shop shop-blue shop-green\nshop Shop-Blue other-green\n"
    assert refusal(twice) == ("fleet.txt:2: environment Shop-Blue is already on line 1 (in "
                              "eu-west-1): each target and green once per file")  # fmt: skip
    crossed = "shop shop-blue shop-green\ncart shop-green cart-green\n"
    assert refusal(crossed).startswith("fleet.txt:2: environment shop-green is already on line 1")
    # The same names in another region are other environments.
    assert len(parsed("shop shop-blue shop-green\nshop shop-blue shop-green us-east-1\n")) == 2


def test_a_line_without_a_region_needs_the_default_one_and_an_empty_file_is_refused() -> None:
    assert "fleet.txt:1: no region: give it as the fourth field" in refusal(
        "shop shop-blue shop-green\n", region=None
    )
    assert parsed("shop shop-blue shop-green us-east-1\n", region=None)[0][3] == "us-east-1"
    assert refusal("# nothing yet\n\n") == (
        "fleet.txt: no target in it (one a line: APP BLUE GREEN [REGION])"
    )


def test_waves_keep_the_file_order_and_the_last_may_be_smaller() -> None:
    targets = tuple(FleetTarget(n, f"app{n}", f"app{n}-blue", f"app{n}-green", REGION)
                    for n in range(1, 6))  # fmt: skip

    waves = waves_of(targets, 2)

    assert [[t.line for t in wave] for wave in waves] == [[1, 2], [3, 4], [5]]
    assert waves_of(targets, 10) == [targets]


def test_a_target_is_the_same_pair_whichever_way_round_swap_and_keep_left_it() -> None:
    target = FleetTarget(1, "shop", "shop-blue", "shop-green", REGION)

    assert target.same_pair(REGION, "shop", "SHOP-GREEN", "shop-blue")
    assert not target.same_pair("us-east-1", "shop", "shop-blue", "shop-green")
    assert not target.same_pair(REGION, "shop", "shop-blue", "other-green")


def test_a_batch_id_is_a_short_plain_word() -> None:
    assert batch_id_problem("night-2026.12.03_1") is None
    assert batch_id_problem("a b") is not None
    assert batch_id_problem("-x") is not None
    assert batch_id_problem("x" * 65) is not None
