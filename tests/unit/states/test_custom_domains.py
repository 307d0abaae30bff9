"""Custom domains in Route 53 follow the live traffic: checked in preflight, re-pointed at each
swap with their routing policy kept, settled (INSYNC, then TTL) before the next step, restored
exactly at rollback, and never changed twice by a re-run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.domain.custom_domains import CustomDomains, FoundRecords
from engine.domain.errors import ConfigurationError, DeadlineExceeded
from engine.domain.model import Run, State, Trigger
from states import cutting_over, preflight, rolling_back, swapping
from tests.fakes import Crash, FakeWorld
from tests.unit.states.conftest import BLUE_CNAME, drive, mutations
from tests.unit.states.domains import (
    APEX,
    API,
    WWW,
    ZONE,
    ask,
    endpoint,
    now_pointing,
    seed_domains,
)


def test_preflight_records_the_records_as_it_found_them(world: FakeWorld, run: Run) -> None:
    seed_domains(world, run)

    preflight.run(world.context(run))

    assert run.facts.route53_records is not None
    assert world.dns.calls["upsert"] == 0


@pytest.mark.parametrize(
    ("names", "zone", "message"),
    [
        ((WWW,), "ZNOSUCHZONE", "hosted zone ZNOSUCHZONE does not exist"),
        (("nope.shop.example.",), ZONE, "record nope.shop.example. does not exist"),
        (("www.other.example.",), ZONE, "is not in hosted zone shop.example."),
        (("elsewhere.shop.example.",), ZONE, "points at somewhere.example.com, not at blue"),
    ],
    ids=["missing-zone", "missing-record", "outside-zone", "not-pointing-at-blue"],
)
def test_preflight_refuses_bad_records_and_changes_nothing(
    world: FakeWorld, run: Run, names: tuple[str, ...], zone: str, message: str
) -> None:
    found = seed_domains(world, run)
    world.dns.put(ZONE, replace(found[WWW], name="elsewhere.shop.example.",
                                target="somewhere.example.com"))  # fmt: skip
    ask(run, *names, zone=zone)

    with pytest.raises(ConfigurationError, match=message):
        preflight.run(world.context(run))
    assert world.dns.calls["upsert"] == 0
    assert mutations(world) == {}


def test_swapping_points_load_balancer_records_at_green_keeping_their_routing(
    world: FakeWorld, run: Run
) -> None:
    found = seed_domains(world, run)
    drive(world, run, until=State.SWAPPING)

    assert swapping.run(world.context(run)) is Trigger.SWAPPED

    green_lb = endpoint(world, run.green)
    assert now_pointing(world, found) == {
        WWW: BLUE_CNAME,  # the live CNAME: the swap moved it to green already
        APEX: f"dualstack.{green_lb}",
        API: green_lb,
    }
    apex = world.dns.get(ZONE, APEX, "A", "weighted-a")
    assert (apex.routing, apex.alias_zone_id, apex.evaluate_target_health) == (
        {"Weight": 10}, found[APEX].alias_zone_id, True,
    )  # fmt: skip
    assert world.dns.get(ZONE, API, "CNAME").ttl == 30
    assert world.dns.calls["upsert"] == 2


def test_each_change_waits_for_insync_then_the_ttl(world: FakeWorld, run: Run) -> None:
    seed_domains(world, run)
    drive(world, run, until=State.SWAPPING)
    world.dns.pending_polls = 3

    swapping.run(world.context(run))

    settled = next(e for e in world.journal(run).events if "INSYNC" in e.message)
    assert world.dns.calls["change_status"] >= 4
    # The alias record (no TTL of its own) answers with its target's: 60 s.
    assert (world.clock.now() - settled.at).total_seconds() >= 60
    assert run.facts.route53_pending is None


def test_a_change_never_insync_fails_the_step(world: FakeWorld, run: Run) -> None:
    seed_domains(world, run)
    drive(world, run, until=State.SWAPPING)
    world.dns.pending_polls = 10**6

    with pytest.raises(DeadlineExceeded, match="not INSYNC"):
        swapping.run(world.context(run))


def test_a_release_ends_with_the_records_as_they_were_on_blue(world: FakeWorld, run: Run) -> None:
    found = seed_domains(world, run)

    drive(world, run)

    assert now_pointing(world, found) == {name: r.target for name, r in found.items()}
    assert world.dns.calls["upsert"] == 4  # two records moved to green, then back


def test_cutover_points_the_records_back_at_blue_before_green_is_removed(
    world: FakeWorld, run: Run
) -> None:
    found = seed_domains(world, run)
    drive(world, run, until=State.CUTTING_OVER)

    cutting_over.run(world.context(run))

    assert now_pointing(world, found) == {name: r.target for name, r in found.items()}
    assert world.beanstalk.env(run.green).status == "Ready"


@pytest.mark.parametrize("stopped_before", [State.SWAPPING, State.DEPLOYING, State.VERIFYING])
def test_rollback_restores_the_records_exactly(
    world: FakeWorld, run: Run, stopped_before: State
) -> None:
    found = seed_domains(world, run)
    drive(world, run, until=stopped_before)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE

    for record in found.values():
        assert world.dns.get(ZONE, record.name, record.type, record.set_identifier) == record


def test_swapping_again_changes_no_record_twice(world: FakeWorld, run: Run) -> None:
    seed_domains(world, run)
    drive(world, run, until=State.DEPLOYING)

    swapping.run(world.context(run))

    assert world.dns.calls["upsert"] == 2


def test_a_crash_after_the_change_resumes_without_a_second_one_but_settles(
    world: FakeWorld, run: Run
) -> None:
    seed_domains(world, run)
    drive(world, run, until=State.SWAPPING)
    world.dns.crash_after_upsert = True
    with pytest.raises(Crash):
        swapping.run(world.context(run))
    assert run.facts.route53_pending == "[]"
    started = world.clock.now()

    assert swapping.run(world.context(run)) is Trigger.SWAPPED

    assert world.dns.calls["upsert"] == 2  # the first one made before the crash, one more
    assert (world.clock.now() - started).total_seconds() >= 60
    assert run.facts.route53_pending is None


def test_a_lost_answer_is_reconciled_by_reading_the_record(world: FakeWorld, run: Run) -> None:
    found = seed_domains(world, run)
    drive(world, run, until=State.SWAPPING)
    world.dns.lose_next_answer = True

    assert swapping.run(world.context(run)) is Trigger.SWAPPED

    assert world.dns.calls["upsert"] == 2
    assert now_pointing(world, found)[API] == endpoint(world, run.green)
    assert any("was lost" in m for m in world.journal(run).messages())


def test_a_release_without_custom_domains_never_calls_route53(world: FakeWorld, run: Run) -> None:
    drive(world, run)

    assert sum(world.dns.calls.values()) == 0


def test_the_replaced_tools_ssm_parameters_name_the_records(world: FakeWorld, run: Run) -> None:
    seed_domains(world, run)
    run.facts.route53_request = CustomDomains(from_ssm=True).to_text()
    world.parameters.values.update({"shop": "['www.shop.example']", "HostedZoneId": ZONE})

    preflight.run(world.context(run))

    found = FoundRecords.from_text(run.facts.route53_records or "")
    assert [m.original.name for m in found.records] == [WWW]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"HostedZoneId": ZONE}, "SSM parameter shop does not exist"),
        ({"shop": "['www.shop.example']"}, "SSM parameter HostedZoneId does not exist"),
        ({"shop": "__import__('os').getcwd()", "HostedZoneId": ZONE}, "not a list of record"),
    ],
    ids=["no-names", "no-zone", "code"],
)
def test_missing_or_bad_ssm_parameters_are_refused_in_preflight(
    world: FakeWorld, run: Run, values: dict[str, str], message: str
) -> None:
    seed_domains(world, run)
    run.facts.route53_request = CustomDomains(from_ssm=True).to_text()
    world.parameters.values.update(values)

    with pytest.raises(ConfigurationError, match=message):
        preflight.run(world.context(run))
    assert mutations(world) == {}


def test_the_replaced_tools_ssm_parameters_with_the_switch_off_are_a_warning(
    world: FakeWorld, run: Run
) -> None:
    world.parameters.values.update({"shop": "['www.shop.example']", "HostedZoneId": ZONE})

    assert preflight.run(world.context(run)) is Trigger.PREFLIGHT_PASSED

    warnings = [m for m in world.journal(run).messages() if "BLUEGREEN_ROUTE53_FROM_SSM" in m]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    assert "will not follow this release" in warnings[0]
    assert sum(world.dns.calls.values()) == 0, "nothing is moved while the switch is off"


@pytest.mark.parametrize(
    "values", [{}, {"HostedZoneId": ZONE}, {"shop": "['www.shop.example']"}],
    ids=["none", "zone-only", "names-only"],
)  # fmt: skip
def test_no_warning_without_both_of_the_replaced_tools_parameters(
    world: FakeWorld, run: Run, values: dict[str, str]
) -> None:
    world.parameters.values.update(values)

    preflight.run(world.context(run))

    assert not [m for m in world.journal(run).messages() if "FROM_SSM" in m]
