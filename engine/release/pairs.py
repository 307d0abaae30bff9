"""Which of a blue/green pair is live. With swap-and-keep the live environment's name
alternates between releases (green becomes the live one, the old blue is retired), while
operators keep passing the same `--blue`/`--green` (or BLUE_ENV_NAME/GREEN_ENV_NAME). Before a
run is created the pair is put the right way round, from evidence, never guessed:

1. an unfinished run of the pair, either way round, holds it: that run's roles stand;
2. else the live CNAME the pair's latest run recorded (its blue's CNAME, the one users reach)
   and which of the two environments EB says holds it now;
3. else, with no history, the only one of the two that exists;
4. else the names as given.

With `--keep-old forever` the old environment is left running as the next release's green. A
swap-and-keep release then adopts it (deploys the new version to it instead of creating green)
only when it is provably the pair's: the pair's latest succeeded run is a swap-and-keep one
that kept it forever, and EB lists, under the green name, the very environment that run
recorded as its blue, beside the one it made live (recorded as its green) under the blue name.
Anything else under the green name is not adopted: preflight refuses the name as taken.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from engine.domain.lifecycle import states_where
from engine.domain.model import Run, State, Strategy, Target
from engine.domain.ports.cloud import Beanstalk, Environment
from engine.domain.ports.store import RunQuery, RunStore
from engine.release.requests import ReleaseRequest

RECENT_RUNS = 50  # how far back the history is searched for the pair's latest run


@dataclass(frozen=True)
class Resolved:
    request: ReleaseRequest
    reason: str | None  # why the names were swapped (recorded in the run's history); None: as given
    adoption: str | None = None  # which kept environment is adopted, and why (an event too)


def live_first(store: RunStore, beanstalk: Beanstalk, request: ReleaseRequest) -> Resolved:
    given, green = request.target, request.green
    flipped = Target(given.region, given.app, green)
    if store.find_unfinished(given) is not None:
        return Resolved(request, None)
    if store.find_unfinished(flipped) is not None:
        return _swapped(request, f"an unfinished run holds {green} as its blue")
    recent = _recent_of_pair(store, given, green)
    envs = _live(beanstalk, given.app, [given.blue, green])
    return _adopting(_roles(request, recent, envs), recent, envs)


def _roles(request: ReleaseRequest, recent: list[Run], envs: dict[str, Environment]) -> Resolved:
    given, green = request.target, request.green
    latest = next((r for r in recent if r.facts.blue_cname), None)
    if latest is not None and latest.facts.blue_cname:
        cname = latest.facts.blue_cname.lower()
        holder = next((e for e in envs.values() if (e.cname or "").lower() == cname), None)
        if holder is not None and holder.name == green:
            return _swapped(
                request,
                f"{green} holds the live CNAME {latest.facts.blue_cname} (recorded by run "
                f"{latest.id}, read from EB)",
            )
        return Resolved(request, None)
    if given.blue not in envs and green in envs:
        return _swapped(request, f"{given.blue} does not exist and {green} does")
    return Resolved(request, None)


def _swapped(request: ReleaseRequest, why: str) -> Resolved:
    target = request.target
    live = Target(target.region, target.app, request.green)
    reason = f"blue is {request.green} and green {target.blue} this time: {why}"
    return Resolved(replace(request, target=live, green=target.blue), reason)


def _adopting(resolved: Resolved, recent: list[Run], envs: dict[str, Environment]) -> Resolved:
    """`resolved`, adopting the environment under the green name when the pair's latest
    succeeded run kept it (`--keep-old forever`) and EB shows it is that one, still beside the
    environment that run made live."""
    request = resolved.request
    if request.strategy is not Strategy.SWAP_AND_KEEP:
        return resolved
    kept_by = next((r for r in recent if r.state is State.SUCCEEDED), None)
    if kept_by is None or kept_by.strategy is not Strategy.SWAP_AND_KEEP:
        return resolved
    kept, live = envs.get(request.green), envs.get(request.target.blue)
    if (
        not kept_by.guards.keep_old_forever
        or kept_by.target.blue != request.green
        or kept is None
        or kept.id != kept_by.facts.blue_env_id
        or live is None
        or live.id != kept_by.facts.green_env_id
    ):
        return resolved
    why = (
        f"adopting the kept environment {kept.name} ({kept.id}) as green: run {kept_by.id} "
        f"kept it running (--keep-old forever), and EB lists it beside the live {live.name} "
        f"({live.id}) that run made live; the new version is deployed to it, no environment "
        "is created"
    )
    adopting = replace(request, kept_env_id=kept.id, kept_by_run=kept_by.id)
    return Resolved(adopting, resolved.reason, why)


def _recent_of_pair(store: RunStore, target: Target, green: str) -> list[Run]:
    """The pair's recent runs, either way round, newest first."""
    pair = {target.blue, green}
    recent = store.list_runs(RunQuery(app=target.app, limit=RECENT_RUNS))
    return [r for r in recent
            if r.target.region == target.region and {r.target.blue, r.green} == pair]  # fmt: skip


def _live(beanstalk: Beanstalk, app: str, names: list[str]) -> dict[str, Environment]:
    found = beanstalk.describe_environments(application=app, names=names)
    return {e.name: e for e in found if e.name in names and not e.is_terminated}


def unfinished_of_pair(store: RunStore, target: Target) -> Run | None:
    """The unfinished run whose blue is `target.blue`, else one whose green is (the pair
    reversed by an earlier swap-and-keep release): what `cutover`/`rollback` by target mean."""
    run = store.find_unfinished(target)
    if run is not None:
        return run
    held = store.list_runs(
        RunQuery(app=target.app, states=states_where(frees_target=False), limit=None)
    )
    return next(
        (r for r in held if r.target.region == target.region and r.green == target.blue), None
    )
