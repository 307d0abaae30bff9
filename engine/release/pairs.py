"""Which of a blue/green pair is live. With swap-and-keep the live environment's name
alternates between releases (green becomes the live one, the old blue is retired), while
operators keep passing the same `--blue`/`--green` (or BLUE_ENV_NAME/GREEN_ENV_NAME). Before a
run is created the pair is put the right way round, from evidence, never guessed:

1. an unfinished run of the pair, either way round, holds it: that run's roles stand;
2. else the live CNAME the pair's latest run recorded (its blue's CNAME, the one users reach)
   and which of the two environments EB says holds it now;
3. else, with no history, the only one of the two that exists;
4. else the names as given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from engine.domain.lifecycle import states_where
from engine.domain.model import Run, Target
from engine.domain.ports.cloud import Beanstalk, Environment
from engine.domain.ports.store import RunQuery, RunStore
from engine.release.requests import ReleaseRequest

RECENT_RUNS = 50  # how far back the history is searched for the pair's latest run


@dataclass(frozen=True)
class Resolved:
    request: ReleaseRequest
    reason: str | None  # why the names were swapped (recorded in the run's history); None: as given


def live_first(store: RunStore, beanstalk: Beanstalk, request: ReleaseRequest) -> Resolved:
    given, green = request.target, request.green
    flipped = Target(given.region, given.app, green)
    if store.find_unfinished(given) is not None:
        return Resolved(request, None)
    if store.find_unfinished(flipped) is not None:
        return _swapped(request, f"an unfinished run holds {green} as its blue")
    latest = _latest_of_pair(store, given, green)
    envs = _live(beanstalk, given.app, [given.blue, green])
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


def _latest_of_pair(store: RunStore, target: Target, green: str) -> Run | None:
    pair = {target.blue, green}
    recent = store.list_runs(RunQuery(app=target.app, limit=RECENT_RUNS))
    return next(
        (r for r in recent
         if r.target.region == target.region and {r.target.blue, r.green} == pair
         and r.facts.blue_cname),
        None,
    )  # fmt: skip


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
