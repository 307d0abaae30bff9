"""A local stand-in for AWS: Elastic Beanstalk + S3 over real HTTP, app servers, a CNAME router.

with Simulator(speed=100) as sim:
    eb = sim.client("elasticbeanstalk")
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
