"""The custom domains a release moves, from settings: record names and a hosted zone given as
flags/variables, or BLUEGREEN_ROUTE53_FROM_SSM=1 for the replaced tool's SSM parameters.

SSM is read only when asked for (an explicit switch, not the parameters' presence): looking
for them on every run would need ssm:GetParameter everywhere, and a parameter named after the
application may well mean something else to its owner.
"""

from __future__ import annotations

from engine.domain.custom_domains import CustomDomains, check_record_name, check_zone_id
from engine.domain.errors import ConfigurationError
from engine.operator.settings import Settings, setting_name

RECORDS, ZONE = "BLUEGREEN_ROUTE53_RECORDS", "BLUEGREEN_HOSTED_ZONE_ID"


def custom_domains_of(settings: Settings) -> CustomDomains | None:
    """None when no custom domain is configured; ConfigurationError for a half or bad one."""
    names = [n.strip() for n in (settings.route53_records or "").split(",") if n.strip()]
    zone = (settings.hosted_zone_id or "").strip()
    if settings.route53_from_ssm:
        if names or zone:
            raise ConfigurationError(
                "BLUEGREEN_ROUTE53_FROM_SSM=1 reads the records and the zone from SSM: "
                f"give no {setting_name(RECORDS)} or {setting_name(ZONE)}"
            )
        return CustomDomains(from_ssm=True)
    if not names and not zone:
        return None
    if not zone:
        raise ConfigurationError(f"missing the records' hosted zone: set {setting_name(ZONE)}")
    if not names:
        raise ConfigurationError(f"a hosted zone without records: set {setting_name(RECORDS)}")
    checked = [check_record_name(name, setting_name(RECORDS)) for name in names]
    return CustomDomains(check_zone_id(zone, setting_name(ZONE)), tuple(dict.fromkeys(checked)))
