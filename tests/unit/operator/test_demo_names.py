"""The demo compares DNS names as DNS does: without regard to case or a final dot."""

from __future__ import annotations

from engine.operator.demo import same_dns_name


def test_a_lower_cased_record_value_names_the_load_balancer_eb_reports() -> None:
    eb = "awseb-AWSEB-1A2B3C4D5E6F-123456789.us-east-1.elb.amazonaws.com"

    assert same_dns_name(eb, eb.lower() + ".")
    assert not same_dns_name(eb, "awseb-other.us-east-1.elb.amazonaws.com")
