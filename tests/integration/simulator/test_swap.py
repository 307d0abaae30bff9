"""SwapEnvironmentCNAMEs: both environments update for the swap's duration, then the CNAMEs
flip at once, for the API and for HTTP clients going through the router."""

from __future__ import annotations

import httpx

from tests.integration.simulator.conftest import Stepped, failure


def _blue_and_green(stepped: Stepped) -> tuple[dict[str, str], dict[str, str]]:
    stepped.app(versions=("v1", "v2"))
    blue = stepped.launch("shop-blue", CNAMEPrefix="shop-live")
    green = stepped.launch("shop-green", version="v2")
    return blue, green


def test_both_environments_update_during_the_swap_then_the_cnames_flip(stepped: Stepped) -> None:
    blue, green = _blue_and_green(stepped)
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
    )
    during = [stepped.env(name) for name in ("shop-blue", "shop-green")]
    assert [(e["Status"], e["CNAME"]) for e in during] == [
        ("Updating", blue["CNAME"]),
        ("Updating", green["CNAME"]),
    ]
    assert [e["AbortableOperationInProgress"] for e in during] == [False, False]
    stepped.advance(5)
    after = [stepped.env(name) for name in ("shop-blue", "shop-green")]
    assert [(e["Status"], e["CNAME"]) for e in after] == [
        ("Ready", green["CNAME"]),
        ("Ready", blue["CNAME"]),
    ]


def test_a_swap_reaches_an_http_client_once_the_dns_ttl_after_it_has_passed(
    stepped: Stepped,
) -> None:
    _blue_and_green(stepped)
    live = "http://shop-live.us-east-1.elasticbeanstalk.com/"
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        assert http.get(live).text == "version v1"
        stepped.eb.swap_environment_cnames(
            SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
        )
        stepped.advance(5)
        assert stepped.env("shop-green")["CNAME"].startswith("shop-live.")
        stepped.advance(59.9)
        assert http.get(live).text == "version v1"
        stepped.advance(0.1)
        assert http.get(live).text == "version v2"


def test_with_a_dns_ttl_of_0_a_swap_is_visible_the_moment_it_completes(stepped: Stepped) -> None:
    stepped.sim.set_dns(ttl=0)
    _blue_and_green(stepped)
    live = "http://shop-live.us-east-1.elasticbeanstalk.com/"
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        assert http.get(live).text == "version v1"
        stepped.eb.swap_environment_cnames(
            SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
        )
        stepped.advance(4.9)
        assert http.get(live).text == "version v1"
        stepped.advance(0.1)
        assert http.get(live).text == "version v2"


def test_swap_by_environment_ids(stepped: Stepped) -> None:
    blue, green = _blue_and_green(stepped)
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentId=blue["EnvironmentId"], DestinationEnvironmentId=green["EnvironmentId"]
    )
    stepped.advance(5)
    assert stepped.env("shop-green")["CNAME"] == blue["CNAME"]


def test_swapping_an_environment_that_is_not_ready_fails(stepped: Stepped) -> None:
    _blue_and_green(stepped)
    stepped.eb.update_environment(EnvironmentName="shop-green", VersionLabel="v1")
    error = failure(
        stepped.eb.swap_environment_cnames,
        SourceEnvironmentName="shop-blue",
        DestinationEnvironmentName="shop-green",
    )
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "Environment named shop-green is in an invalid state for this operation. Must be Ready.",
    )


def test_swap_argument_errors(stepped: Stepped) -> None:
    _blue_and_green(stepped)
    swap = stepped.eb.swap_environment_cnames
    same = failure(swap, SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-blue")
    assert same.code == "InvalidParameterValue"
    unknown = failure(swap, SourceEnvironmentName="shop-blue", DestinationEnvironmentName="nobody")
    assert unknown.message == "No Environment found for EnvironmentName = 'nobody'."
    no_destination = failure(swap, SourceEnvironmentName="shop-blue")
    assert no_destination.code == "InvalidParameterCombination"


def test_a_terminated_environments_cname_no_longer_answers(stepped: Stepped) -> None:
    _blue_and_green(stepped)
    stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        live = "http://shop-live.us-east-1.elasticbeanstalk.com/"
        assert http.get(live).status_code == 200  # still serving while Terminating
        stepped.advance(240)
        gone = http.get(live)
    assert gone.status_code == 502
    assert "shop-live.us-east-1.elasticbeanstalk.com" in gone.text


def test_the_router_also_answers_for_the_load_balancer_host_and_by_host_header(
    stepped: Stepped,
) -> None:
    blue, _ = _blue_and_green(stepped)
    with httpx.Client(proxy=stepped.sim.proxy_url) as http:
        assert http.get(f"http://{blue['EndpointURL']}/").text == "version v1"
    with httpx.Client() as http:
        direct = http.get(
            f"{stepped.sim.proxy_url}/x",
            headers={"Host": "shop-live.us-east-1.elasticbeanstalk.com"},
        )
    assert direct.text == "version v1"
    assert stepped.sim.app_url("shop-green") is not None
