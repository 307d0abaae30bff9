"""DNS through the CNAME router: a swap reaches clients only once the cached answer expires,
lingering resolvers hold it longer, and an environment's own load balancer name never moves.

Plain httpx through the router, on the manual clock (speed 1: the TTL is EB's 60 s).
"""

from __future__ import annotations

import httpx
import pytest

from simulator import Simulator
from tests.integration.simulator.conftest import Stepped

LIVE = "http://shop-live.us-east-1.elasticbeanstalk.com/"


def _blue_and_green(stepped: Stepped) -> tuple[dict[str, str], dict[str, str]]:
    stepped.app(versions=("v1", "v2"))
    blue = stepped.launch("shop-blue", CNAMEPrefix="shop-live")
    green = stepped.launch("shop-green", version="v2")
    return blue, green


def _swap(stepped: Stepped, source: str = "shop-blue", destination: str = "shop-green") -> None:
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentName=source, DestinationEnvironmentName=destination
    )
    stepped.advance(5)  # the swap completes: EB shows the CNAMEs moved


def _reached(http: httpx.Client, url: str = LIVE) -> str:
    answer = http.get(url)
    assert answer.status_code == 200, answer.text
    return answer.headers["X-Bluegreen-Environment"]


def test_after_a_swap_the_live_name_reaches_the_old_environment_until_the_ttl_expires(
    stepped: Stepped,
) -> None:
    _blue_and_green(stepped)
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        _swap(stepped)
        assert stepped.env("shop-green")["CNAME"].startswith("shop-live.")
        seen = []
        for _ in range(6):
            seen.append(_reached(http))
            stepped.advance(10)
        assert seen == ["shop-blue"] * 6
        assert _reached(http) == "shop-green"


def test_the_name_that_moved_away_also_keeps_its_old_answer(stepped: Stepped) -> None:
    _, green = _blue_and_green(stepped)
    green_name = f"http://{green['CNAME']}/"
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        _swap(stepped)
        assert _reached(http, green_name) == "shop-green"  # EB says it names blue now
        stepped.advance(60)
        assert _reached(http, green_name) == "shop-blue"


def test_a_swap_back_within_the_ttl_is_delivered_late_too(stepped: Stepped) -> None:
    _blue_and_green(stepped)
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        _swap(stepped)
        stepped.advance(20)
        _swap(stepped, "shop-green", "shop-blue")
        assert _reached(http) == "shop-blue"  # still the answer cached before the first swap
        stepped.advance(40)
        assert _reached(http) == "shop-green"  # the one cached just before the swap back
        stepped.advance(25)
        assert _reached(http) == "shop-blue"


def test_the_load_balancer_name_reaches_its_environment_through_every_swap(
    stepped: Stepped,
) -> None:
    blue, green = _blue_and_green(stepped)
    assert blue["EndpointURL"].endswith(".elb.amazonaws.com")
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        for source, destination in (("shop-blue", "shop-green"), ("shop-green", "shop-blue")):
            _swap(stepped, source, destination)
            assert _reached(http, f"http://{blue['EndpointURL']}/") == "shop-blue"
            assert _reached(http, f"http://{green['EndpointURL'].upper()}/") == "shop-green"


def test_a_request_with_the_load_balancer_name_as_host_reaches_it_too(stepped: Stepped) -> None:
    _, green = _blue_and_green(stepped)
    _swap(stepped)
    router = stepped.sim.proxy_url
    answer = httpx.get(f"{router}/health", headers={"Host": green["EndpointURL"]})
    assert answer.headers["X-Bluegreen-Environment"] == "shop-green"


def test_clients_whose_cached_answer_names_a_terminated_green_fail_until_it_expires(
    stepped: Stepped,
) -> None:
    stepped.sim.set_dns(ttl=300)  # longer than a termination (240 s)
    _blue_and_green(stepped)
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        _swap(stepped)
        stepped.advance(300)
        assert _reached(http) == "shop-green"
        _swap(stepped, "shop-green", "shop-blue")
        stepped.eb.terminate_environment(EnvironmentName="shop-green")
        stepped.advance(240)
        assert stepped.env("shop-blue")["CNAME"].startswith("shop-live.")
        failed = http.get(LIVE)
        assert failed.status_code == 502
        assert "cached DNS answer" in failed.text
        stepped.advance(60)
        assert _reached(http) == "shop-blue"


def test_a_terminated_environment_s_load_balancer_name_reaches_nothing(stepped: Stepped) -> None:
    _, green = _blue_and_green(stepped)
    stepped.eb.terminate_environment(EnvironmentName="shop-green")
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        assert _reached(http, f"http://{green['EndpointURL']}/") == "shop-green"  # Terminating
        stepped.advance(240)
        assert http.get(f"http://{green['EndpointURL']}/").status_code == 502


def test_a_new_environment_s_name_resolves_at_once(stepped: Stepped) -> None:
    _, green = _blue_and_green(stepped)
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        assert _reached(http, f"http://{green['CNAME']}/") == "shop-green"


def test_lingering_resolvers_answer_one_request_in_four_with_the_old_name_past_the_ttl(
    stepped: Stepped,
) -> None:
    stepped.sim.set_dns(linger=30)
    _blue_and_green(stepped)
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        _swap(stepped)
        stepped.advance(60)
        answers = [_reached(http) for _ in range(8)]
        assert answers.count("shop-blue") == 2
        assert answers.count("shop-green") == 6
        stepped.advance(30)
        assert {_reached(http) for _ in range(8)} == {"shop-green"}


def test_the_ttl_scales_with_the_speed_and_reset_restores_the_start_settings() -> None:
    with Simulator(speed=200, dns_ttl=60, dns_linger=20) as sim:
        assert sim.dns_settle_seconds == pytest.approx(80 / 200 + 0.04)
        sim.set_dns(ttl=0, linger=0)
        assert sim.dns_settle_seconds == 0.0
        sim.reset()
        assert (sim.dns.settings.ttl, sim.dns.settings.linger) == (60, 20)


def test_a_negative_ttl_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        Simulator(dns_ttl=-1)
