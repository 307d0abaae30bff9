"""Rolling back: undo what the run did, from its recorded facts, newest first, each part only
when still needed: live traffic off a blue that already serves the new version (green, still
on the old one, takes it back), blue back on its previous version once DNS has settled, CNAMEs
back, green terminated once that has settled, template deleted. UNDONE only when production is
exactly where it was: blue live on its previous version at its own CNAME, green gone.
"""

from __future__ import annotations

from engine.domain.errors import ConflictError, StepFailed
from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.ports.cloud import Environment
from engine.domain.step import StepContext
from states.shared.blue_version import put_blue_on
from states.shared.capacity import restore_sizes
from states.shared.cnames import put_cnames
from states.shared.hooks import run_hook
from states.shared.records import restore_records
from states.shared.removal import remove_green, remove_template
from states.shared.resources import current_blue, find_own_green, is_gone, note, require
from states.shared.settle import settle_after_swap, settle_after_swap_back


def run(ctx: StepContext) -> Trigger:
    run_hook(ctx, HookPoint.ON_ROLLBACK)  # its failure is recorded, never blocks the undo
    if ctx.run.facts.blue_env_id is None:
        note(ctx, "rollback: the run recorded nothing about blue, so it changed nothing there")
    else:
        _take_traffic_off_new_blue(ctx)
        _restore_blue_version(ctx)
        _restore_cnames(ctx)
    restore_records(ctx)  # before green goes: no record may point at it then
    green = find_own_green(ctx)
    if _kept_untouched(ctx, green):
        note(ctx, f"rollback: the kept environment {ctx.run.green} was not changed (it runs "
             f"{green.version_label if green else '?'}): it stays, kept as it was")  # fmt: skip
    else:
        if not is_gone(green):
            settle_after_swap_back(ctx, "terminating green")
        remove_green(ctx)
    restore_sizes(ctx, "blue", ctx.run.facts.blue_env_id)  # a warm-up's raise, undone
    remove_template(ctx)
    if ctx.run.facts.blue_env_id is not None:
        _confirm_production(ctx)
    return Trigger.UNDONE


def _kept_untouched(ctx: StepContext, green: Environment | None) -> bool:
    """An adopted kept environment (`--keep-old forever`) that never got this run's version
    (refused or failed before the deploy, or EB kept the old one): left as it was. Once it
    runs the new version (or is being deployed to) it is this run's green, terminated."""
    if not ctx.run.facts.adopted_from_run or green is None or is_gone(green):
        return False
    return (
        green.is_ready
        and green.version_label != ctx.run.version_label
        and green.cname != ctx.run.facts.blue_cname
    )


def _take_traffic_off_new_blue(ctx: StepContext) -> None:
    """After a cutover (a regression in the bake window), green still runs the old version:
    swapping to it restores service at once, instead of redeploying blue under live traffic."""
    facts, blue = ctx.run.facts, current_blue(ctx)
    if blue.cname != facts.blue_cname or blue.version_label == ctx.run.rollback_version:
        return
    green = find_own_green(ctx)
    if green is None or not (green.is_ready and green.is_healthy):
        return  # no green to take the traffic: blue is rolled back in place
    if green.cname != facts.green_cname or green.version_label != ctx.run.rollback_version:
        return
    put_cnames(ctx, swapped=True, what="rollback: live traffic back to green")


def _restore_blue_version(ctx: StepContext) -> None:
    """Blue back on its previous version; a deployment is done to blue only once the live
    CNAME's move away from it has settled (clients with the old answer still reach it)."""
    previous = require(ctx.run.rollback_version, "previous version label")
    blue = current_blue(ctx)
    if blue.status == "Updating" and blue.abortable:
        try:
            ctx.beanstalk.abort_update(blue.id)
            note(ctx, f"rollback: aborted the update under way on blue {blue.name}")
        except ConflictError:
            pass  # it finished or stopped being abortable meanwhile: wait for it instead
    elif blue.version_label != previous and blue.cname != ctx.run.facts.blue_cname:
        settle_after_swap(ctx, "rolling blue back to its previous version")
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
    if where != ("Ready", ctx.run.rollback_version, facts.blue_cname):
        raise StepFailed(f"rollback incomplete: blue {blue.name} is {where}")
    note(
        ctx,
        f"rollback done: blue {blue.name} runs {blue.version_label} at {blue.cname}",
        environment=blue.id,
    )
