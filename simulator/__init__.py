"""A local stand-in for AWS: Elastic Beanstalk + S3 over real HTTP, app servers, a CNAME router.

    from simulator import Simulator
    from simulator.seed import seed_release_target

    with Simulator(speed=100) as sim:            # speed 100: a 180 s launch takes 1.8 s
        target = seed_release_target(sim)        # bucket, app, v1+v2, shop-blue Ready/Green on v1
        eb = sim.client("elasticbeanstalk")      # boto3, aimed at sim.endpoint_url
        sim.get(f"http://{target.cname}/")       # (200, "version v1") through the CNAME router
        sim.faults.throttle_next(3)              # see simulator.faults.Faults
        sim.faults.lose_response("SwapEnvironmentCNAMEs")  # carried out, then answered 503
        sim.calls.count("CreateEnvironment")     # how many were really carried out
        sim.completed_operations()               # when each operation really ended (off the API)
        sim.set_dns(ttl=60, linger=30)           # swaps reach clients late (simulator.dns)
        with sim.live_traffic(f"http://{target.cname}/") as traffic:  # a client every 5 ms
            ...
        traffic.stop().failed                    # failed live requests
        env = sim.client_env()                   # AWS_ENDPOINT_URL, HTTP_PROXY, ... for a child

Bundles carry a `simulator.json` manifest (`simulator.bundles.make_bundle`): status, body,
health, start_seconds, flap (503s between good answers), health_flap (EB health flapping),
fail_after/fail_status (answers fail_status once deployed that long).
"""

from simulator.bundles import Manifest, make_bundle
from simulator.calls import CallLog
from simulator.core import Simulator
from simulator.dns import EB_CNAME_TTL, DnsSettings
from simulator.faults import ANY, Faults
from simulator.timing import Durations, ManualClock, SystemClock
from simulator.traffic import LiveTraffic, TrafficReport

__all__ = [
    "ANY",
    "EB_CNAME_TTL",
    "CallLog",
    "DnsSettings",
    "Durations",
    "Faults",
    "LiveTraffic",
    "Manifest",
    "ManualClock",
    "Simulator",
    "SystemClock",
    "TrafficReport",
    "make_bundle",
]
