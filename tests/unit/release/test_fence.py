"""The lease fence: before every mutating call the runner's lease must be unexpired (by its own
reckoning, on both clocks) and still its own; it is then renewed. A lease that ran out is
never renewed again, by the fence or by the heartbeat."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.domain.errors import LeaseLostError
from engine.domain.ports.dns import RecordSet
from engine.release.fence import Fence, FencedBeanstalk, FencedDns, LeaseExpiredError, LeaseTerm
from engine.release.leases import Heartbeat
from tests.fakes import FakeBeanstalk, FakeClock, make_run
from tests.fakes.dns import FakeDns
from tests.fakes.store import InMemoryRunStore
from tests.unit.release.fakes import eventually

LEASE = 10.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fenced(clock: FakeClock, store: InMemoryRunStore) -> tuple[Fence, FakeBeanstalk, str]:
    run = make_run()
    store.create(run, "me", LEASE)
    beanstalk = FakeBeanstalk(clock)
    beanstalk.add_application("shop")
    blue = beanstalk.add_environment("shop", "shop-blue", "v1")
    return Fence(store, run.id, "me", LEASE, LeaseTerm(clock, LEASE)), beanstalk, blue.id


def test_a_lease_term_runs_out_a_margin_before_the_stored_expiry(clock: FakeClock) -> None:
    term = LeaseTerm(clock, LEASE)

    clock.advance(LEASE * 0.85)
    assert term.overdue() <= 0
    clock.advance(LEASE * 0.1)
    assert term.overdue() > 0


def test_the_fence_renews_an_unexpired_lease_before_the_call(clock: FakeClock) -> None:
    store = InMemoryRunStore(clock.now)
    fence, beanstalk, blue = fenced(clock, store)
    clock.advance(LEASE * 0.5)

    FencedBeanstalk(beanstalk, fence).create_template("shop", "t", blue, "")

    assert beanstalk.calls["create_template"] == 1
    leased = store.get(make_run().id)
    assert leased.lease_expires_at == clock.now() + timedelta(seconds=LEASE)
    assert fence.term.overdue() <= -LEASE * 0.85


def test_a_runner_whose_lease_ran_out_makes_no_mutating_call_and_says_why(
    clock: FakeClock,
) -> None:
    store = InMemoryRunStore(clock.now)
    fence, beanstalk, blue = fenced(clock, store)
    clock.advance(LEASE * 2)  # paused (SIGSTOP) past its lease

    with pytest.raises(LeaseExpiredError, match="paused or cut off") as stopped:
        FencedBeanstalk(beanstalk, fence).swap_cnames(blue, blue)

    assert beanstalk.calls["swap_cnames"] == 0
    assert "before SwapEnvironmentCNAMEs" in str(stopped.value)
    assert "bluegreen resume" in str(stopped.value)


def test_reads_pass_the_fence_even_after_the_lease_ran_out(clock: FakeClock) -> None:
    store = InMemoryRunStore(clock.now)
    fence, beanstalk, _ = fenced(clock, store)
    clock.advance(LEASE * 2)

    assert FencedBeanstalk(beanstalk, fence).describe_environments("shop")


def test_a_lease_another_runner_took_over_stops_the_call(clock: FakeClock) -> None:
    store = InMemoryRunStore(clock.now)
    fence, beanstalk, blue = fenced(clock, store)
    store.release(make_run().id, "me")
    store.acquire(make_run().id, "someone-else", LEASE)

    with pytest.raises(LeaseLostError, match="someone-else"):
        FencedBeanstalk(beanstalk, fence).deploy_version(blue, "v1")

    assert beanstalk.calls["deploy_version"] == 0


class CountingStore(InMemoryRunStore):
    renewals = 0

    def renew(self, run_id: object, owner: str, lease_seconds: float) -> None:
        self.renewals += 1
        super().renew(run_id, owner, lease_seconds)  # type: ignore[arg-type]


def test_the_heartbeat_does_not_renew_a_lease_that_ran_out(clock: FakeClock) -> None:
    store = CountingStore(clock.now)
    run = make_run()
    store.create(run, "me", LEASE)
    fence = Fence(store, run.id, "me", 0.03, LeaseTerm(clock, 0.03))
    clock.advance(1.0)  # the process was stopped for longer than its lease

    with Heartbeat(store, run.id, "me", 0.03, fence) as heartbeat:
        eventually(lambda: heartbeat.lost is not None)

    assert isinstance(heartbeat.lost, LeaseExpiredError)
    assert store.renewals == 0


def test_a_route53_change_is_fenced_like_an_eb_call(clock: FakeClock) -> None:
    store = InMemoryRunStore(clock.now)
    fence, _, _ = fenced(clock, store)
    dns = FakeDns()
    dns.add_zone("Z1", "shop.example.")
    record = RecordSet("www.shop.example.", "CNAME", "shop-blue.example.", ttl=60)
    dns.put("Z1", record)
    fenced_dns = FencedDns(dns, fence)

    fenced_dns.upsert("Z1", record.pointing_at("shop-green.example."), "swap")
    clock.advance(LEASE)  # paused past the lease

    with pytest.raises(LeaseExpiredError, match="before ChangeResourceRecordSets"):
        fenced_dns.upsert("Z1", record, "swap back")
    assert dns.get("Z1", "www.shop.example.", "CNAME").target == "shop-green.example."
    assert fenced_dns.record_sets("Z1", "www.shop.example.")  # reads still pass
