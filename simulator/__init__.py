"""A local stand-in for AWS: Elastic Beanstalk + S3 over real HTTP, app servers, a CNAME router.

    from simulator import Simulator
    from simulator.seed import seed_release_target

    with Simulator(speed=100) as sim:            # speed 100: a 180 s launch takes 1.8 s
        target = seed_release_target(sim)        # bucket, app, v1+v2, shop-blue Ready/Green on v1
        eb = sim.client("elasticbeanstalk")      # boto3, aimed at sim.endpoint_url
        sim.get(f"http://{target.cname}/")       # (200, "version v1") through the CNAME router
        sim.faults.throttle_next(3)              # see simulator.faults.Faults
        env = sim.client_env()                   # AWS_ENDPOINT_URL, HTTP_PROXY, ... for a child

Bundles carry a `simulator.json` manifest (`simulator.bundles.make_bundle`): status, body,
health, start_seconds, flap (503s between good answers), health_flap (EB health flapping).
"""

from simulator.bundles import Manifest, make_bundle
from simulator.core import Simulator
from simulator.faults import ANY, Faults
from simulator.timing import Durations, ManualClock, SystemClock

__all__ = [
    "ANY",
    "Durations",
    "Faults",
    "Manifest",
    "ManualClock",
    "Simulator",
    "SystemClock",
    "make_bundle",
]
