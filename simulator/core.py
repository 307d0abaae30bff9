"""`Simulator`: the whole local AWS stand-in in one object, startable in-process.

It owns the AWS endpoint (simulated EB + moto), the CNAME router, the app servers (through
the EB backend) and the background ticker that lets the clock complete operations.
"""

from __future__ import annotations

import http.client
import threading
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import boto3
from moto.core.config import default_user_config
from moto.moto_api._internal.models import moto_api_backend
from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends

from simulator.calls import CallLog
from simulator.control import ControlApp
from simulator.dns import EB_CNAME_TTL, LINGER_SHARE, DnsSettings, ResolverCache
from simulator.eb.backend import DEFAULT_ACCOUNT, Beanstalk
from simulator.eb.models import Completed
from simulator.faults import Faults
from simulator.load import INSTANCE_RPS, Load
from simulator.route53 import Route53Changes
from simulator.router import CnameRouter
from simulator.server import BeanstalkApp, Front, HttpServer
from simulator.timing import Clock, Durations, SystemClock, Timing
from simulator.traffic import LiveTraffic

ACCESS_KEY = "testing"  # dummy credentials: the simulator checks no signature

# The EB CLI attaches AWS managed policies (AWSElasticBeanstalkWebTier, ...) to the roles it
# creates on `eb create` (ebcli/resources/statics.py, ebcli/lib/iam.py); moto knows them only
# when told to (its MOTO_IAM_LOAD_MANAGED_POLICIES setting, as configuration here).
default_user_config.setdefault("iam", {})["load_aws_managed_policies"] = True
TICK_SECONDS = 0.02


def read_s3_object(bucket: str, key: str) -> bytes | None:
    """An object from moto's S3 (same process), or None if the bucket or key is missing."""
    try:
        found = s3_backends[DEFAULT_ACCOUNT]["aws"].get_object(bucket, key)
    except MissingBucket:
        return None
    return bytes(found.value) if found is not None else None


class Simulator:
    """Elastic Beanstalk + S3 over real HTTP on loopback, app servers and a CNAME router."""

    def __init__(
        self,
        *,
        speed: float = 1.0,
        region: str = "us-east-1",
        faults: Faults | None = None,
        durations: Durations | None = None,
        clock: Clock | None = None,
        port: int = 0,
        router_port: int = 0,
        dns_ttl: float = EB_CNAME_TTL,
        dns_linger: float = 0.0,
        dns_linger_share: float = LINGER_SHARE,
        load: float = 0.0,
        instance_rps: float = INSTANCE_RPS,
    ) -> None:
        self.region = region
        self.timing = Timing(speed, durations or Durations())
        self.clock = clock or SystemClock()
        self.faults = faults or Faults()
        self.calls = CallLog()  # every AWS call answered, and what EB carried out
        # Requests per second per CNAME (`load`: each application's first environment's).
        self.load = Load(load, instance_rps)
        self.backend = Beanstalk(
            self.timing, self.faults, self.clock, read_s3_object, load=self.load
        )
        self._dns_settings = DnsSettings(dns_ttl, dns_linger, dns_linger_share)
        self.dns = ResolverCache(self.backend.routes, self.clock, self.timing, self._dns_settings)
        self._ports = (port, router_port)
        self._endpoint: HttpServer | None = None
        self._router: CnameRouter | None = None
        self._stopping = threading.Event()
        self._ticker: threading.Thread | None = None
        self._session = boto3.session.Session()
        self._session_lock = threading.Lock()

    @property
    def speed(self) -> float:
        return self.timing.speed

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Simulator:
        """Serve the endpoint and the router, start the clock; a failure stops what began."""
        try:
            eb = BeanstalkApp(self.backend, self.faults, self.region, self.calls)
            app = Front(
                eb, self.calls,
                lambda moto: Route53Changes(moto, self.faults, self.timing, self.clock),
                self.backend.show_balancers,
                ControlApp(self.load, self._cname_of),
            )  # fmt: skip
            self._endpoint = HttpServer(app, port=self._ports[0])
            self.backend.endpoint_url = self._endpoint.url
            self._router = CnameRouter(self.dns.resolve, port=self._ports[1])
        except BaseException:
            self.stop()
            raise
        self._stopping.clear()
        self._ticker = threading.Thread(target=self._tick, name="simulator-clock", daemon=True)
        self._ticker.start()
        return self

    def _tick(self) -> None:
        while not self._stopping.wait(TICK_SECONDS):
            self.backend.tick()
            self.dns.observe()  # a change is timed when it happens, not at the next request

    def stop(self) -> None:
        """Stop the ticker, the endpoint, the router and every app server."""
        self._stopping.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
        for server in (self._endpoint, self._router):
            if server is not None:
                server.stop()
        self._endpoint = self._router = self._ticker = None
        self.backend.reset()
        self.dns.reset()

    def reset(self) -> None:
        """Drop all EB state and every S3 bucket (all of moto's state) and the call log; faults
        and DNS go back to the settings the simulator was given (runtime rules, queued errors
        and lost responses are dropped)."""
        self.backend.reset()
        moto_api_backend.reset()
        self.faults.restore()
        self.calls.clear()
        self.dns.settings = self._dns_settings
        self.dns.reset()

    def set_dns(
        self,
        *,
        ttl: float | None = None,
        linger: float | None = None,
        linger_share: float | None = None,
    ) -> None:
        """Change the DNS model at run time (AWS seconds; `reset()` restores the start's)."""
        old = self.dns.settings
        self.dns.settings = DnsSettings(
            old.ttl if ttl is None else ttl,
            old.linger if linger is None else linger,
            old.linger_share if linger_share is None else linger_share,
        )

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what clients need -------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        if self._endpoint is None:
            raise RuntimeError("the simulator is not running: call start() first")
        return self._endpoint.url

    @property
    def proxy_url(self) -> str:
        if self._router is None:
            raise RuntimeError("the simulator is not running: call start() first")
        return self._router.url

    def client_env(self) -> dict[str, str]:
        """Environment variables that point boto3 and HTTP clients at the simulator."""
        no_proxy = "127.0.0.1,localhost"
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": ACCESS_KEY,
            "AWS_EC2_METADATA_DISABLED": "true",
            "HTTP_PROXY": self.proxy_url,
            "http_proxy": self.proxy_url,
            "NO_PROXY": no_proxy,
            "no_proxy": no_proxy,
            "BLUEGREEN_POLL_INTERVAL": str(self.timing.poll_interval()),
            # how long a CNAME change takes to reach every simulated client, at this speed
            "BLUEGREEN_DNS_SETTLE": str(self.dns_settle_seconds),
            # The engine's polling schedule expects AWS's durations divided by the speed.
            "BLUEGREEN_TIME_SCALE": str(min(1.0, 1 / self.timing.speed)),
        }

    @property
    def dns_settle_seconds(self) -> float:
        """Real seconds after a CNAME change until no simulated resolver returns the old
        answer (TTL plus linger, scaled), plus two clock ticks: changes are seen per tick."""
        settle = self.dns.settle_seconds
        return round(settle + 2 * TICK_SECONDS, 3) if settle > 0 else 0.0

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for `service` aimed at this simulator (kwargs go to boto3)."""
        options: dict[str, Any] = {
            "region_name": self.region,
            "endpoint_url": self.endpoint_url,
            "aws_access_key_id": ACCESS_KEY,
            "aws_secret_access_key": ACCESS_KEY,
        }
        with self._session_lock:  # a shared session makes clients cheap; it is not thread-safe
            return self._session.client(service, **(options | kwargs))  # type: ignore[call-overload]

    # --- test helpers ------------------------------------------------------------------------

    def set_load(self, rps: float, *, cname: str | None = None, env: str | None = None) -> None:
        """`rps` requests per second on `cname`, or on the CNAME the live environment `env`
        holds now (the load then stays with that CNAME, across swaps): simulator.load."""
        name = cname if cname is not None else self._cname_of(env or "")
        if name is None:
            raise ValueError(f"no live environment named {env!r}")
        self.load.set(name, rps)

    def _cname_of(self, env_name: str) -> str | None:
        env = self.backend.environment(env_name)
        return env.cname if env is not None else None

    def completed_operations(self) -> list[Completed]:
        """When each EB operation really ended (the simulator's own record, oldest first)."""
        return self.backend.completed()

    def release(self, env_name: str) -> bool:
        """Let the stuck operation of `env_name` (and a swap partner's) complete now."""
        return self.backend.release(env_name)

    def app_url(self, env_name: str) -> str | None:
        """The direct URL of a live environment's app server (bypassing the router)."""
        env = self.backend.environment(env_name)
        return env.server.url if env is not None else None

    def live_traffic(self, url: str, **options: Any) -> LiveTraffic:
        """Traffic to `url` (e.g. `http://<live cname>/`) through the router, resolved through
        its DNS cache like a real client's; use as `with sim.live_traffic(url) as traffic:`
        and read `traffic.stop()` / `traffic.snapshot()` (options: see `LiveTraffic`)."""
        return LiveTraffic(self.proxy_url, url, **options)

    def get(self, url: str, timeout: float = 5.0) -> tuple[int, str]:
        """GET `url` (e.g. `http://<cname>/`) through the CNAME router: (status, body).

        Speaks to the router directly (absolute-URI request), so no proxy setting or real DNS
        lookup can send it anywhere else; the name resolves through the router's simulated
        DNS, like every client's (just after a swap it may reach the old environment).
        """
        router = urlsplit(self.proxy_url)
        connection = http.client.HTTPConnection(router.hostname or "", router.port, timeout=timeout)
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()
