"""Rolling back: undo what the run did, from its recorded facts, newest first, each part only
when still needed: blue back on its previous version, CNAMEs back, green terminated, template
deleted. UNDONE only when production is exactly where it was.
"""

from __future__ import annotations

from engine.domain.errors import ConflictError, StepFailed
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.blue_version import put_blue_on
from states.shared.cnames import put_cnames
from states.shared.records import restore_records
from states.shared.removal import remove_green, remove_template
from states.shared.resources import current_blue, find_own_green, is_gone, note, require


def run(ctx: StepContext) -> Trigger:
    if ctx.run.facts.blue_env_id is None:
        note(ctx, "rollback: the run recorded nothing about blue, so it changed nothing there")
    else:
        _restore_blue_version(ctx)
        _restore_cnames(ctx)
    restore_records(ctx)  # before green goes: no record may point at it then
    remove_green(ctx)
    remove_template(ctx)
    if ctx.run.facts.blue_env_id is not None:
        _confirm_production(ctx)
    return Trigger.UNDONE


def _restore_blue_version(ctx: StepContext) -> None:
    previous = require(ctx.run.facts.previous_version_label, "previous version label")
    blue = current_blue(ctx)
    if blue.status == "Updating" and blue.abortable:
        try:
            ctx.beanstalk.abort_update(blue.id)
            note(ctx, f"rollback: aborted the update under way on blue {blue.name}")
        except ConflictError:
            pass  # it finished or stopped being abortable meanwhile: wait for it instead
    put_blue_on(ctx, previous, "rollback")


def _restore_cnames(ctx: StepContext) -> None:
    """Swap back when swapped. A launching green cannot be in a swap, so it is not waited for."""
    green = find_own_green(ctx)
    never_swapped = ctx.run.facts.green_cname is None
    if never_swapped or is_gone(green) or (green is not None and green.status == "Launching"):
        _require_original_cname(ctx)
    else:
        put_cnames(ctx, swapped=False, what="rollback")


def _require_original_cname(ctx: StepContext) -> None:
    blue = current_blue(ctx)
    if blue.cname != ctx.run.facts.blue_cname:
        raise StepFailed(
            f"blue {blue.name} holds {blue.cname}, not its original "
            f"{ctx.run.facts.blue_cname}, and this run's green cannot swap it back"
        )


def _confirm_production(ctx: StepContext) -> None:
    facts, blue = ctx.run.facts, current_blue(ctx)
    where = (blue.status, blue.version_label, blue.cname)
    if where != ("Ready", facts.previous_version_label, facts.blue_cname):
        raise StepFailed(f"rollback incomplete: blue {blue.name} is {where}")
    note(
        ctx,
        f"rollback done: blue {blue.name} runs {blue.version_label} at {blue.cname}",
        environment=blue.id,
    )
