"""The simulated Elastic Beanstalk service: one lock around every region's state, the table of
supported actions, the clock-driven `tick()`, and the CNAME lookups the router needs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from simulator.eb import (
    applications,
    environments,
    fleet_api,
    lifecycle,
    maintenance,
    managed,
    option_calls,
    platforms,
    queries,
    resources,
    templates,
)
from simulator.eb.balancers import Balancer, process
from simulator.eb.models import Completed, Environment
from simulator.eb.state import Bundles, Context, RegionState
from simulator.eb.unsupported import refuse_ignored
from simulator.faults import Faults
from simulator.load import Load
from simulator.timing import Clock, Timing

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {
    "CreateApplication": applications.create_application,
    "DescribeApplications": applications.describe_applications,
    "DeleteApplication": applications.delete_application,
    "CreateApplicationVersion": applications.create_application_version,
    "DescribeApplicationVersions": applications.describe_application_versions,
    "DeleteApplicationVersion": applications.delete_application_version,
    "CreateConfigurationTemplate": templates.create_configuration_template,
    "DescribeConfigurationSettings": templates.describe_configuration_settings,
    "DeleteConfigurationTemplate": templates.delete_configuration_template,
    "CreateEnvironment": environments.create_environment,
    "UpdateEnvironment": environments.update_environment,
    "TerminateEnvironment": environments.terminate_environment,
    "SwapEnvironmentCNAMEs": environments.swap_environment_cnames,
    "AbortEnvironmentUpdate": environments.abort_environment_update,
    "DescribeEnvironments": queries.describe_environments,
    "DescribeEvents": queries.describe_events,
    "CheckDNSAvailability": queries.check_dns_availability,
    "ListTagsForResource": queries.list_tags_for_resource,
    "UpdateTagsForResource": maintenance.update_tags_for_resource,
    "RebuildEnvironment": maintenance.rebuild_environment,
    "RestartAppServer": maintenance.restart_app_server,
    "DescribeAccountAttributes": maintenance.describe_account_attributes,
    "UpdateApplication": maintenance.update_application,
    "UpdateApplicationVersion": maintenance.update_application_version,
    "UpdateConfigurationTemplate": maintenance.update_configuration_template,
    "ListAvailableSolutionStacks": platforms.list_available_solution_stacks,
    "DescribePlatformVersion": platforms.describe_platform_version,
    "ListPlatformBranches": platforms.list_platform_branches,
    "ListPlatformVersions": platforms.list_platform_versions,
    "DescribeConfigurationOptions": option_calls.describe_configuration_options,
    "ValidateConfigurationSettings": option_calls.validate_configuration_settings,
    "DescribeEnvironmentResources": fleet_api.describe_environment_resources,
    "DescribeInstancesHealth": fleet_api.describe_instances_health,
    "DescribeEnvironmentHealth": fleet_api.describe_environment_health,
    "DescribeEnvironmentManagedActions": managed.describe_environment_managed_actions,
    "ApplyEnvironmentManagedAction": managed.apply_environment_managed_action,
    "DescribeEnvironmentManagedActionHistory": managed.describe_environment_managed_action_history,
    "CreateStorageLocation": resources.create_storage_location,
    "RequestEnvironmentInfo": resources.request_environment_info,
    "RetrieveEnvironmentInfo": resources.retrieve_environment_info,
}

DEFAULT_ACCOUNT = "123456789012"  # moto's default account, so ARNs agree with S3 and STS


class Beanstalk:
    """Every region's EB state behind one lock; handlers run with the clock advanced first."""

    def __init__(
        self,
        timing: Timing,
        faults: Faults,
        clock: Clock,
        bundles: Bundles,
        account: str = DEFAULT_ACCOUNT,
        load: Load | None = None,
    ) -> None:
        self.timing, self.faults, self.clock = timing, faults, clock
        self.load = load or Load()
        self._bundles, self._account = bundles, account
        self._lock = threading.Lock()
        self._regions: dict[str, RegionState] = {}
        self._shown: dict[str, Balancer] = {}  # load balancers in moto's ELBv2, by ARN
        self.endpoint_url = ""  # set by the Simulator once its endpoint listens

    def handle(
        self, region: str, action: str, params: dict[str, Any], request_id: str
    ) -> dict[str, Any] | None:
        """Run one EB action (the name must be in HANDLERS) for `region`."""
        after: list[Callable[[], None]] = []
        try:
            with self._lock:
                ctx = self._advance(region, request_id)
                after = ctx.after
                refuse_ignored(action, params)
                return HANDLERS[action](ctx, params)
        finally:
            _run(after)  # outside the lock: stopping app servers may take a moment

    def tick(self) -> None:
        """Let the clock complete what is due in every region (the background ticker)."""
        with self._lock:
            contexts = [self._advance(region, "") for region in list(self._regions)]
        _run([action for ctx in contexts for action in ctx.after])

    def _advance(self, region: str, request_id: str) -> Context:
        """Complete what is due (events of no request), then a context for `request_id`."""
        if region not in self._regions:
            self._regions[region] = RegionState(region, self._account)
        tick = self._context(self._regions[region])
        lifecycle.advance(tick)
        for env in tick.state.live_envs():
            managed.advance(tick, env)
        return replace(tick, request_id=request_id)  # the same time and `after` list

    def _context(self, state: RegionState, request_id: str = "") -> Context:
        return Context(
            state,
            self.clock.now(),
            request_id,
            self.timing,
            self.faults,
            self._bundles,
            endpoint_url=self.endpoint_url,
            load=self.load,
        )

    def resolve(self, host: str) -> int | None:
        """The app server port for a CNAME or load balancer host name, if an env holds it."""
        with self._lock:
            for state in self._regions.values():
                env = state.cname_holder(host) or state.endpoint_holder(host)
                if env is not None:
                    return env.server.port
        return None

    def routes(self) -> dict[str, tuple[str, int]]:
        """Every live environment's CNAME and load balancer name -> (its id, app server port):
        what DNS says right now (the router's resolver cache delivers it late)."""
        with self._lock:
            envs = [env for state in self._regions.values() for env in state.live_envs()]
            return {
                name.lower(): (env.id, env.server.port)
                for env in envs
                for name in (env.cname, env.endpoint)
            }

    def release(self, env_name: str) -> bool:
        """Let the stuck operation of the live environment `env_name` complete now."""
        self.tick()
        with self._lock:
            for state in self._regions.values():
                env = state.live_env(env_name)
                if env is not None:
                    return lifecycle.release(self._context(state), env)
        return False

    def environment(self, env_name: str) -> Environment | None:
        """The live environment named `env_name` (for tests and tools; do not mutate it)."""
        with self._lock:
            states = self._regions.values()
            return next((e for s in states if (e := s.live_env(env_name)) is not None), None)

    def completed(self) -> list[Completed]:
        """Every operation that has ended, in every region, oldest first: the simulator's own
        record (for benchmarks measuring detection lag from outside; EB's API never shows it)."""
        self.tick()
        with self._lock:
            done = [c for state in self._regions.values() for c in state.completed]
        return sorted(done, key=lambda c: c.ended)

    def reset(self) -> None:
        """Forget every region; stop every app server; take the load balancers out of moto."""
        with self._lock:
            servers = [env.server for s in self._regions.values() for env in s.live_envs()]
            self._regions.clear()
            self.load.reset()
            self._show_balancers()
        _run([server.stop for server in servers])

    def show_balancers(self) -> None:
        """Make moto's ELBv2 hold every live environment's load balancer as it is now, and no
        other: called before an Elastic Load Balancing request reaches moto."""
        self.tick()
        with self._lock:
            self._show_balancers()

    def _show_balancers(self) -> None:
        envs = {
            e.balancer.arn: e
            for s in self._regions.values()
            for e in s.live_envs()
            if not e.single_instance  # no load balancer
        }
        if not envs and not self._shown:
            return  # nothing to show or take away: no need to import moto's ELBv2
        from simulator.eb import elbv2  # about a second to import (see there): only if needed

        for arn in set(self._shown) - set(envs):
            elbv2.remove(self._shown.pop(arn))
        for arn, env in envs.items():
            elbv2.show(env.balancer, process(env.options), fleet_api.targets(env, self.clock.now()))
            self._shown[arn] = env.balancer


def _run(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        action()
