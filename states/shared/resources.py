"""What every step shares: the names and tags of a run's resources, finding blue and this run's
green as they are now, and the URL blue is verified through.
"""

from __future__ import annotations

from engine.domain.errors import NotFoundError, StepFailed
from engine.domain.health_urls import check_not_masked
from engine.domain.model import EventSource, Run
from engine.domain.ports.cloud import Environment
from engine.domain.step import StepContext

RUN_ID_TAG = "bluegreen:run-id"
ROLE_TAG = "bluegreen:role"
# Statuses after which an environment never serves again.
GONE_STATUSES = frozenset({"Terminating", "Terminated"})


def template_name(run: Run) -> str:
    """The configuration template a run saves blue's configuration as (one per run)."""
    return f"bluegreen-{run.id}"


def green_tags(run: Run) -> dict[str, str]:
    """The tags that mark an environment as this run's green."""
    return {RUN_ID_TAG: run.id, ROLE_TAG: "green"}


def is_gone(env: Environment | None) -> bool:
    return env is None or env.status in GONE_STATUSES


def require(value: str | None, what: str) -> str:
    """A recorded fact a step cannot do without; its absence is a bug or a damaged run."""
    if not value:
        raise StepFailed(f"the run has no recorded {what}; it cannot go on")
    return value


def describe_by_id(ctx: StepContext, env_id: str) -> Environment | None:
    """One environment by id, Terminated ones included (None when EB no longer knows it)."""
    found = ctx.beanstalk.describe_environments(
        application=ctx.run.target.app, ids=[env_id], include_deleted=True
    )
    return next((env for env in found if env.id == env_id), None)


def live_named(ctx: StepContext, name: str) -> Environment | None:
    """The application's live (not Terminated) environment with that name, if any."""
    found = ctx.beanstalk.describe_environments(application=ctx.run.target.app, names=[name])
    return next((env for env in found if env.name == name and not env.is_terminated), None)


def current_blue(ctx: StepContext) -> Environment:
    """Blue as it is now, by its recorded id; StepFailed when it is gone."""
    blue_id = require(ctx.run.facts.blue_env_id, "blue environment id")
    blue = describe_by_id(ctx, blue_id)
    if blue is None or is_gone(blue):
        status = blue.status if blue else "gone"
        raise StepFailed(f"blue environment {ctx.run.target.blue} ({blue_id}) is {status}")
    return blue


def is_own_green(ctx: StepContext, env: Environment) -> bool:
    """Whether `env` carries this run's id tag (a foreign environment is never touched)."""
    if not env.arn:
        return False
    try:
        tags = ctx.beanstalk.environment_tags(env.arn)
    except NotFoundError:
        return False
    return tags.get(RUN_ID_TAG) == ctx.run.id


def find_own_green(ctx: StepContext) -> Environment | None:
    """This run's green: by its recorded id (Terminated included), else by name among the live
    environments, only when it carries this run's tag (a crash may have come between
    CreateEnvironment and recording its id)."""
    green_id = ctx.run.facts.green_env_id
    if green_id:
        return describe_by_id(ctx, green_id)
    named = live_named(ctx, ctx.run.green)
    if named is not None and is_own_green(ctx, named):
        ctx.journal.record_facts(green_env_id=named.id, green_cname=named.cname)
        return named
    return None


def health_url(path: str, cname: str) -> str:
    """`http://<cname><path>`, or `path` itself when it is a whole URL (the replaced tool read
    RELEASE_HEALTH_CHECKING_PATH that way)."""
    check_not_masked(path)  # a run read back without its secret: never probe "REDACTED"
    if path.startswith(("http://", "https://")):
        return path
    return f"http://{cname}{path if path.startswith('/') else '/' + path}"


def note(ctx: StepContext, message: str, **data: str | None) -> None:
    """An engine event in the run's history."""
    ctx.journal.event(EventSource.ENGINE, message, **data)
