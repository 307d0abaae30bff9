"""Preflight: the replaced tool's Route 53 settings in SSM, present but not switched on.

That tool always read its record names (the parameter named after the application) and its
zone (`HostedZoneId`) from SSM. This engine reads them only with BLUEGREEN_ROUTE53_FROM_SSM=1,
so a migrating user's custom domain would silently stop following releases: when no custom
domain is configured and both parameters exist, the run says so, in its history and its
progress. A parameter store that cannot be read (no ssm:GetParameter) is no reason to stop.
"""

from __future__ import annotations

from engine.domain.custom_domains import SSM_ZONE_PARAMETER
from engine.domain.errors import BlueGreenError
from engine.domain.step import StepContext
from states.shared.resources import note

WARNING_KEY = "route53_ssm_ignored"


def warn_if_ssm_domains_ignored(ctx: StepContext) -> None:
    if ctx.run.facts.route53_request is not None or ctx.parameters is None:
        return
    app = ctx.run.target.app
    try:
        names, zone = ctx.parameters.value(app), ctx.parameters.value(SSM_ZONE_PARAMETER)
    except BlueGreenError:
        return  # cannot look: the switch is off, and nothing says these parameters exist
    if names is None or zone is None:
        return
    note(
        ctx,
        f"warning: the replaced tool's Route 53 settings are in SSM (parameters {app} and "
        f"{SSM_ZONE_PARAMETER}) but BLUEGREEN_ROUTE53_FROM_SSM is off: the custom domains "
        "they name will not follow this release; set BLUEGREEN_ROUTE53_FROM_SSM=1 (or give "
        "--route53-record and --hosted-zone-id) to move them",
        **{WARNING_KEY: "true", "zone_id": zone},
    )
