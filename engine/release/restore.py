"""`bluegreen rollback --to-version LABEL` with no run: put the target's blue on that version.

It becomes a run of its own (mode `restore`) that starts in rolling_back and whose version is
LABEL (`Run.rollback_version`), so the same idempotent rollback action does the work: blue
back on LABEL, CNAMEs swapped back if a run left them swapped, green terminated if it lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.domain.model import Facts, Guards, HealthCheck, Mode, Run, State, Target
from engine.domain.ports.cloud import Environment
from engine.domain.ports.store import RunQuery
from engine.release.drive import Drive
from engine.release.observer import Observer, Outcome
from engine.release.requests import ReleaseRequest
from engine.release.runner import NothingToDo, Runner, UsageError, target_busy


@dataclass(frozen=True)
class RestoreRequest:
    """Put blue on `version_label`, undoing what an earlier run may have left behind."""

    target: Target
    green: str
    version_label: str
    health: HealthCheck = field(default_factory=HealthCheck)
    guards: Guards = field(default_factory=Guards)


def restore_version(runner: Runner, request: RestoreRequest, observer: Observer) -> Outcome:
    """A new run in rolling_back whose facts point at LABEL; refused while a run holds the
    target (that run is what to roll back)."""
    services = runner.services
    holder = services.store.find_unfinished(request.target)
    if holder is not None:
        raise target_busy(holder, services.clock.now())
    blue = _live(runner, request.target.app, request.target.blue)
    if blue is None:
        target = request.target
        raise UsageError(f"blue {target.blue} does not exist in {target.app} ({target.region})")
    _check_version(runner, request)
    green = _live(runner, request.target.app, request.green)
    if blue.version_label == request.version_label and green is None:
        raise NothingToDo(f"blue {blue.name} already runs {request.version_label}")
    run = _restore_run(runner, request, blue, green)
    services.store.create(run, services.owner, services.lease_seconds)
    drive = Drive(services, run, observer)
    drive.operator(f"rollback to version {request.version_label} requested")
    return drive.drive()


def _live(runner: Runner, app: str, name: str) -> Environment | None:
    found = runner.services.beanstalk.describe_environments(application=app, names=[name])
    return next((e for e in found if e.name == name and not e.is_terminated), None)


def _check_version(runner: Runner, request: RestoreRequest) -> None:
    app, label = request.target.app, request.version_label
    version = runner.services.beanstalk.get_version(app, label)
    if version is None or not version.deployable:
        state = version.status if version else "missing"
        raise UsageError(f"version {label} of {app} cannot be deployed ({state})")


def _restore_run(
    runner: Runner, request: RestoreRequest, blue: Environment, green: Environment | None
) -> Run:
    release = ReleaseRequest(request.target, request.green, request.version_label,
                             mode=Mode.RESTORE, health=request.health,
                             guards=request.guards)  # fmt: skip
    run = release.new_run(runner.services.clock.now(), State.ROLLING_BACK)
    blue_cname, green_cname = _own_cnames(runner, request.target, blue, green)
    run.facts = Facts(
        blue_env_id=blue.id,
        blue_cname=blue_cname,
        previous_version_label=blue.version_label,  # what blue ran when the operator asked
        green_env_id=green.id if green else None,
        green_cname=green_cname,
        template_name=None,
    )
    run.rollback_reason = f"the operator asked to put blue back on {request.version_label}"
    return run


def _own_cnames(
    runner: Runner, target: Target, blue: Environment, green: Environment | None
) -> tuple[str | None, str | None]:
    """Blue's and green's own CNAMEs, which a swap left by an earlier run (or by the replaced
    tool's `deploy`) has exchanged: blue's as the target's last run recorded it, else EB's
    default naming (a CNAME starts with its environment's name) tells whether they swapped."""
    if green is None:
        return _original_cname(runner, target) or blue.cname, None
    original = _original_cname(runner, target)
    if original is not None:
        swapped = blue.cname != original
    else:
        swapped = _named_after(blue.cname, green.name) and _named_after(green.cname, blue.name)
    return (green.cname, blue.cname) if swapped else (blue.cname, green.cname)


def _named_after(cname: str | None, environment_name: str) -> bool:
    return bool(cname) and str(cname).lower().startswith(f"{environment_name.lower()}.")


def _original_cname(runner: Runner, target: Target) -> str | None:
    """Blue's own CNAME as the last run of this target recorded it (swaps move CNAMEs)."""
    recent = runner.services.store.list_runs(RunQuery(app=target.app, blue=target.blue, limit=20))
    return next(
        (r.facts.blue_cname for r in recent if r.target == target and r.facts.blue_cname), None
    )
