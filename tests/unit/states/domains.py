"""Custom domains for the step tests: a hosted zone with records pointing at blue in each way
a user may have set them up (the replaced tool's latency CNAME, a weighted alias to blue's load
balancer, a plain CNAME to it), and the run asking for them."""

from __future__ import annotations

from engine.domain.custom_domains import CustomDomains
from engine.domain.model import Run
from engine.domain.ports.dns import RecordSet
from tests.fakes import FakeWorld
from tests.unit.states.conftest import BLUE_CNAME

ZONE = "ZSHOP0001"
ELB_ZONE = "Z35SXDOTRQ7X7K"  # the alias target zone of classic ELBs in us-east-1
WWW, APEX, API = "www.shop.example.", "shop.example.", "api.shop.example."


def endpoint(world: FakeWorld, env_name: str) -> str:
    return world.beanstalk.env(env_name).view().endpoint_url or ""


def seed_domains(world: FakeWorld, run: Run) -> dict[str, RecordSet]:
    """The three records (by name), as found; the run asks for all three."""
    lb = endpoint(world, run.target.blue)
    found = {
        WWW: RecordSet(WWW, "CNAME", BLUE_CNAME, "us-east-1", 60, routing={"Region": "us-east-1"}),
        APEX: RecordSet(APEX, "A", f"dualstack.{lb}.", "weighted-a", alias_zone_id=ELB_ZONE,
                        evaluate_target_health=True, routing={"Weight": 10}),
        API: RecordSet(API, "CNAME", lb, ttl=30),
    }  # fmt: skip
    world.dns.add_zone(ZONE, "shop.example")
    for record in found.values():
        world.dns.put(ZONE, record)
    ask(run, *found)
    return found


def ask(run: Run, *names: str, zone: str = ZONE) -> None:
    run.facts.route53_request = CustomDomains(zone, tuple(names)).to_text()


def now_pointing(world: FakeWorld, found: dict[str, RecordSet]) -> dict[str, str]:
    return {name: world.dns.get(ZONE, name, r.type, r.set_identifier).target
            for name, r in found.items()}  # fmt: skip
