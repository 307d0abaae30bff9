"""`bluegreen simulator demo`: a blue/green swap by hand against the simulator, showing a real
HTTP client following the CNAME as it moves (late, once its resolver's cached answer expires),
and a custom domain in Route 53 (served by moto) re-pointed by hand from blue's load balancer to
green's while green serves."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from simulator.core import Simulator
from simulator.domains import endpoint_of, seed_custom_domains, targets
from simulator.seed import seed_release_target, wait_for_environment

Say = Callable[[str], None]
LIVE = "shop-live"


def run_demo(speed: float, say: Say) -> None:
    with Simulator(speed=speed) as sim:
        say(f"Simulator at {sim.endpoint_url}, CNAME router at {sim.proxy_url} (speed {speed:g})")
        started = time.monotonic()
        target = seed_release_target(
            sim, versions={"v1": {}, "v2": {"body": "version v2, the new one"}}, cname_prefix=LIVE
        )
        say(f"blue {target.blue} ({target.blue_id}) is Ready/Green on v1 at {target.cname}")
        _probe(sim, target.cname, say)
        domains = seed_custom_domains(sim, target, zone_name="shop.example")
        domain = domains.names[-1]  # the record at blue's load balancer
        say(f"custom domain {domain} -> {targets(sim, domains.zone_id)[domain]} (blue's)")
        green_id = _launch_green(sim, target.blue_id, say)
        moved = _swap(sim, "shop-blue", "shop-green", target.cname, say)
        _until_moved(sim, target.cname, moved, say)
        zone = domains.zone_id
        _point(sim, zone, domain, endpoint_of(sim, "shop", green_id), "green's", say)
        moved = _swap(sim, "shop-green", "shop-blue", target.cname, say)
        _point(
            sim, domains.zone_id, domain, endpoint_of(sim, "shop", target.blue_id), "blue's", say
        )
        _until_moved(sim, target.cname, moved, say)
        _terminate(sim, "shop-green", say)
        _events(sim, say)
        say(f"Done in {time.monotonic() - started:.1f} s.")


def _probe(sim: Simulator, cname: str, say: Say) -> None:
    status, body = sim.get(f"http://{cname}/")
    say(f"  GET http://{cname}/ -> {status} {body!r}")


@dataclass(frozen=True)
class Moved:
    """A swap that moved the live CNAME: when DNS changed, and what it answered before."""

    at: float  # time.monotonic()
    old_answer: tuple[int, str]


def _until_moved(sim: Simulator, cname: str, moved: Moved, say: Say) -> None:
    """Probe until the answer is no longer the old one: the resolver's cached answer has
    expired; how long that took is counted from the swap's change, whatever ran since."""
    deadline = moved.at + sim.dns_settle_seconds + 5
    while sim.get(f"http://{cname}/") == moved.old_answer and time.monotonic() < deadline:
        time.sleep(0.01)
    waited, ttl = time.monotonic() - moved.at, sim.dns.settings.ttl
    scaled = sim.timing.scaled(ttl).total_seconds()
    say(f"  (DNS: the new answer seen {waited:.2f} s after the swap, once the cached one "
        f"expired: EB's TTL {ttl:g} s, {scaled:.2f} s at this speed)")  # fmt: skip
    _probe(sim, cname, say)


def _point(sim: Simulator, zone_id: str, name: str, target: str, whose: str, say: Say) -> None:
    """UPSERT the record's new target, keeping its routing fields; wait for INSYNC."""
    route53 = sim.client("route53")
    listed = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    record = next(r for r in listed if r["Name"] == name)
    record["ResourceRecords"] = [{"Value": target}]
    change = {"Action": "UPSERT", "ResourceRecordSet": record}
    answer = route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [change]}
    )
    status = route53.get_change(Id=answer["ChangeInfo"]["Id"])["ChangeInfo"]["Status"]
    say(f"custom domain {name} -> {target} ({whose}), change {status}")


def _launch_green(sim: Simulator, blue_id: str, say: Say) -> str:
    eb = sim.client("elasticbeanstalk")
    eb.create_configuration_template(
        ApplicationName="shop", TemplateName="demo-template", EnvironmentId=blue_id
    )
    eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        TemplateName="demo-template",
        VersionLabel="v2",
    )
    say("green shop-green launching from blue's configuration, on v2 ...")
    green = wait_for_environment(sim, "shop-green", health="Green")
    say(f"green is {green['Status']}/{green['Health']} at {green['CNAME']}")
    return str(green["EnvironmentId"])


def _swap(sim: Simulator, source: str, destination: str, cname: str, say: Say) -> Moved:
    """Swap, and probe `cname` the moment the swap has moved it: a resolver's cached answer
    lasts one TTL from then (60/speed s: 0.15 s at speed 400), so the probe that shows the old
    answer is made at once, before the wait for both environments (a poll, 50 ms at least,
    and AWS calls) uses up that window."""
    eb = sim.client("elasticbeanstalk")
    before, old_answer = sim.backend.routes().get(cname.lower()), sim.get(f"http://{cname}/")
    eb.swap_environment_cnames(SourceEnvironmentName=source, DestinationEnvironmentName=destination)
    say(f"swapping CNAMEs of {source} and {destination} ...")
    deadline = time.monotonic() + 30
    while sim.backend.routes().get(cname.lower()) == before and time.monotonic() < deadline:
        time.sleep(0.002)  # DNS itself (the router's table), read in process: no AWS call
    moved_at = time.monotonic()
    _probe(sim, cname, say)
    for name in (source, destination):
        wait_for_environment(sim, name)
    return Moved(moved_at, old_answer)


def _terminate(sim: Simulator, name: str, say: Say) -> None:
    eb = sim.client("elasticbeanstalk")
    eb.terminate_environment(EnvironmentName=name)
    eb.delete_configuration_template(ApplicationName="shop", TemplateName="demo-template")
    say(f"terminating {name} ...")
    wait_for_environment(sim, name, status="Terminated")
    say(f"{name} is Terminated")


def _events(sim: Simulator, say: Say) -> None:
    events = sim.client("elasticbeanstalk").describe_events(ApplicationName="shop", MaxRecords=8)
    say("Latest Elastic Beanstalk events:")
    for event in events["Events"]:
        env = event.get("EnvironmentName", "-")
        say(f"  {event['EventDate']:%H:%M:%S.%f} {event['Severity']:5} {env:10} {event['Message']}")
