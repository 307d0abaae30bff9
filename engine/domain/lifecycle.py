"""The release lifecycle in one place: every state, every trigger, every transition, and per
state one record that the machine, storage, runner, workers, views and notifications read.

Adding a state is: its `State` value, its `StateInfo` row and its transitions here, its action
in `states/` and one line of `states/registry.py` (docs/lifecycle.md has a worked example).
`tests/unit/domain/test_lifecycle.py` fails when a state lacks any of them.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from engine.domain.exit_codes import ExitCode


class State(enum.StrEnum):
    """Lifecycle states; the values are what the database and `--json` output show."""

    QUEUED = "queued"  # submitted for the worker pool; nothing checked or changed yet
    PREFLIGHT = "preflight"
    CLONING = "cloning"
    SWAPPING = "swapping"
    DEPLOYING = "deploying"
    VERIFYING = "verifying"
    AWAITING_CUTOVER = "awaiting_cutover"
    CUTTING_OVER = "cutting_over"
    BAKING = "baking"
    CLEANING_UP = "cleaning_up"
    ROLLING_BACK = "rolling_back"
    # swap-and-keep (red/black): green on the new version becomes the live environment
    LAUNCHING = "launching"
    VERIFYING_GREEN = "verifying_green"
    GOING_LIVE = "going_live"
    KEEPING_OLD = "keeping_old"
    RETIRING_OLD = "retiring_old"
    # traffic-split: blue updated in place by EB's traffic-splitting deployment
    SPLITTING = "splitting"
    SUCCEEDED = "succeeded"
    ROLLED_BACK = "rolled_back"
    REFUSED = "refused"  # preflight refused the release: bad input, nothing was changed
    FAILED = "failed"

    @property
    def info(self) -> StateInfo:
        return STATES[self]

    @property
    def is_final(self) -> bool:
        """A drive ends here and the run has a verdict (a failed run may still be resumed)."""
        return STATES[self].kind is Kind.FINAL

    @property
    def is_unfinished(self) -> bool:
        """Unfinished runs hold their target: in progress, waiting, or failed (resumable)."""
        return not STATES[self].frees_target

    @property
    def is_working(self) -> bool:
        """A drive acts in this state (it has an action) and moves on by itself."""
        return STATES[self].kind is Kind.WORKING


class Trigger(enum.StrEnum):
    """The events that move a run; state actions return one of the happy-path triggers."""

    START = "start"  # queued -> preflight (a worker took the run)
    PREFLIGHT_PASSED = "preflight_passed"  # preflight -> cloning
    CLONED = "cloned"  # cloning -> swapping
    SWAPPED = "swapped"  # swapping -> deploying
    DEPLOYED = "deployed"  # deploying -> verifying (mode full)
    PAUSE = "pause"  # deploying -> awaiting_cutover (mode deploy)
    CUTOVER = "cutover"  # awaiting_cutover -> verifying (operator)
    VERIFIED = "verified"  # verifying -> cutting_over
    CUT_OVER = "cut_over"  # cutting_over -> baking
    BAKED = "baked"  # baking -> cleaning_up
    CLEANED_UP = "cleaned_up"  # cleaning_up -> succeeded
    FAIL = "fail"  # a forward step failed -> rolling_back
    REFUSE = "refuse"  # preflight -> refused (bad input: nothing to undo)
    ROLLBACK = "rollback"  # operator: awaiting_cutover / in progress / failed -> rolling_back
    UNDONE = "undone"  # rolling_back -> rolled_back
    GIVE_UP = "give_up"  # rolling_back / cleaning_up -> failed (needs an operator)
    RETRY_ROLLBACK = "retry_rollback"  # failed -> rolling_back (resume)
    RETRY_CLEANUP = "retry_cleanup"  # failed -> cleaning_up (resume)
    LAUNCH = "launch"  # preflight -> launching (swap-and-keep)
    LAUNCHED = "launched"  # launching -> verifying_green
    GREEN_VERIFIED = "green_verified"  # verifying_green -> going_live (mode full)
    GO_LIVE = "go_live"  # awaiting_cutover -> going_live (swap-and-keep, operator)
    WENT_LIVE = "went_live"  # going_live -> keeping_old
    KEPT = "kept"  # keeping_old -> retiring_old
    RETIRED = "retired"  # retiring_old -> succeeded
    RETRY_RETIRE = "retry_retire"  # failed -> retiring_old (resume)
    SPLIT = "split"  # preflight -> splitting (traffic-split)
    SPLIT_DONE = "split_done"  # splitting -> succeeded


class Strategy(enum.StrEnum):
    """How a release moves live traffic to the new version (`--strategy`)."""

    SWAP_BACK = "swap-back"  # clone blue, swap, deploy blue, verify, swap back (the default)
    SWAP_AND_KEEP = "swap-and-keep"  # new version on green, one swap, old kept for a while
    TRAFFIC_SPLIT = "traffic-split"  # no clone: EB's traffic-splitting deployment on blue


class Kind(enum.StrEnum):
    """Working states have an action a drive runs; resting states wait for an operator;
    final states end every drive (and, but for `failed`, the run)."""

    WORKING = "working"
    RESTING = "resting"
    FINAL = "final"


@dataclass(frozen=True)
class Verdict:
    """What a resting or finished run means to its caller: a name (notifications, `--json`),
    the exit code every command and view gives it, its wording and its colour."""

    name: str
    exit_code: ExitCode
    meaning: str  # `runs show` / the report: what this outcome says about production
    headline: str  # a notification's "release of v2 to shop/blue ..." continues with this
    style: str  # Rich style on a terminal


SUCCEEDED = Verdict(
    "succeeded", ExitCode.OK, "released: blue runs the new version on its own CNAME",
    "succeeded", "green",
)  # fmt: skip
AWAITING_CUTOVER = Verdict(
    "awaiting_cutover", ExitCode.OK, "deployed; waiting for `bluegreen cutover` (or `rollback`)",
    "is deployed and waits for cutover", "cyan",
)  # fmt: skip
ROLLED_BACK = Verdict(
    "rolled_back", ExitCode.ROLLED_BACK, "release failed and was rolled back; production "
    "untouched", "failed and was rolled back (production untouched)", "yellow",
)  # fmt: skip
ROLLED_BACK_BY_OPERATOR = Verdict(
    "rolled_back_by_operator", ExitCode.OK, "rolled back as an operator asked; production "
    "serves the previous version", "was rolled back as an operator asked", "yellow",
)  # fmt: skip
REFUSED = Verdict(
    "refused", ExitCode.USAGE, "refused in preflight (bad input); nothing in AWS was changed",
    "was refused in preflight (bad input; nothing changed)", "magenta",
)  # fmt: skip
FAILED = Verdict(
    "failed", ExitCode.NEEDS_OPERATOR, "failed and could not fully undo; needs an operator "
    "(`bluegreen resume`)", "FAILED and needs an operator (bluegreen resume)", "bold red",
)  # fmt: skip
INTERRUPTED = Verdict(
    "interrupted", ExitCode.INTERRUPTED, "interrupted; `bluegreen resume` continues it",
    "was interrupted (bluegreen resume)", "bold yellow",
)  # fmt: skip
VERDICTS: tuple[Verdict, ...] = (
    SUCCEEDED, AWAITING_CUTOVER, ROLLED_BACK, ROLLED_BACK_BY_OPERATOR, REFUSED, FAILED,
    INTERRUPTED,
)  # fmt: skip


# Where runs begin: a new run is created in preflight (or queued, for the workers). A drive
# that begins in one of these starts the release (a notification's `started` event).
ENTRY_STATES: tuple[State, ...] = (State.QUEUED, State.PREFLIGHT)


@dataclass(frozen=True)
class StateInfo:
    """Everything the engine and its views know about one state."""

    state: State
    kind: Kind
    does: str  # what happens in it (docs, `--help`)
    waits_for: str  # `status`: what a run in it waits for ({id} is the run id)
    colour: str  # the report's timeline bar (#rrggbb)
    style: str = "bold"  # Rich style of the state's name on a terminal
    worker_drives: bool = False  # a `bluegreen worker` may claim a run resting in it
    frees_target: bool = False  # a run in it no longer holds its target (and may be pruned)
    # What a failure of its action moves the run with: FAIL rolls back, GIVE_UP leaves it
    # failed for an operator; None for states without an action.
    on_failure: Trigger | None = None
    verdict: Verdict | None = None  # resting and final states: what they mean to the caller

    @property
    def rests_for_operator(self) -> bool:
        """Held, but driven by nobody until an operator acts (cutover, resume, rollback)."""
        return not self.worker_drives and not self.frees_target


def _working(
    state: State, does: str, waits_for: str, colour: str, on_failure: Trigger | None = None
) -> StateInfo:
    return StateInfo(
        state, Kind.WORKING, does, waits_for, colour, worker_drives=True, on_failure=on_failure
    )


S, T = State, Trigger
# In display order: timelines, `status`, the report's legend and docs list states so.
LIFECYCLE: tuple[StateInfo, ...] = (
    _working(S.QUEUED, "submitted for the worker pool; nothing checked or changed yet",
             "a worker (`bluegreen worker`) to take it", "#d0d5dd"),
    _working(S.PREFLIGHT, "checks everything before touching anything; records blue's facts",
             "the checks before anything changes (credentials, blue, version)", "#9aa5b8",
             on_failure=T.FAIL),
    _working(S.CLONING, "saves blue's configuration as a template and creates green from it",
             "green to launch from blue's configuration (Ready, health Green)", "#4c78a8",
             on_failure=T.FAIL),
    _working(S.SWAPPING, "swaps the CNAMEs: green takes the live traffic",
             "the CNAME swap (both environments Ready, CNAMEs moved)", "#72b7b2",
             on_failure=T.FAIL),
    _working(S.DEPLOYING, "after the DNS settle, deploys the new version to blue",
             "the DNS settle after the swap, then blue to run the new version (Ready, health "
             "Green)", "#54a24b", on_failure=T.FAIL),
    StateInfo(S.AWAITING_CUTOVER, Kind.RESTING, "`deploy` mode: rests until `bluegreen cutover`",
              "an operator: `bluegreen cutover {id}` (or `bluegreen rollback {id}`)", "#b3c7e6",
              style="cyan", verdict=AWAITING_CUTOVER),
    _working(S.VERIFYING, "probes blue at its own load balancer; EB health and alarms watched",
             "consecutive successful health probes of blue", "#8cd17d", on_failure=T.FAIL),
    _working(S.CUTTING_OVER, "swaps the CNAMEs back: blue serves live traffic, new version",
             "the CNAME swap back (blue serves live traffic again)", "#79706e",
             on_failure=T.FAIL),
    _working(S.BAKING, "watches blue for the bake window with green kept to swap back to",
             "the bake window: blue serves live traffic, green stays up to swap back to",
             "#e4b363", on_failure=T.FAIL),
    _working(S.CLEANING_UP, "after the DNS settle, terminates green and deletes the template",
             "the DNS settle after the swap back, then green to terminate and the template to "
             "be deleted", "#bab0ac", on_failure=T.GIVE_UP),
    _working(S.LAUNCHING, "swap-and-keep: creates green from blue's configuration on the new "
             "version", "green to launch on the new version (Ready, health Green)", "#3b6ea5",
             on_failure=T.FAIL),
    _working(S.VERIFYING_GREEN, "swap-and-keep: probes green at its own load balancer (live "
             "name as Host); EB health and alarms watched",
             "consecutive successful health probes of green", "#a1d99b", on_failure=T.FAIL),
    _working(S.GOING_LIVE, "swap-and-keep: swaps the CNAMEs: green, on the new version, takes "
             "the live traffic", "the CNAME swap (green serves live traffic)", "#5f9e9a",
             on_failure=T.FAIL),
    _working(S.KEEPING_OLD, "swap-and-keep: the old environment stays up, unchanged; a "
             "regression swaps back at once", "the keep window: green serves live traffic, the "
             "old environment stays up to swap back to", "#d9a441", on_failure=T.FAIL),
    _working(S.RETIRING_OLD, "swap-and-keep: after the DNS settle, terminates the old "
             "environment (or keeps it) and deletes the template", "the DNS settle after the "
             "swap, then the old environment to terminate", "#a39e9b", on_failure=T.GIVE_UP),
    _working(S.SPLITTING, "traffic-split: EB sends a share of live traffic to the new version on "
             "blue; probes, health and alarms watched, a regression aborts it",
             "the traffic-splitting deployment's evaluation, then all traffic on the new version",
             "#6cb0d6", on_failure=T.FAIL),
    _working(S.ROLLING_BACK, "undoes what the run did, newest first, from its recorded facts",
             "the undo (blue's previous version, swap back, green terminated)", "#f58518",
             on_failure=T.GIVE_UP),
    StateInfo(S.SUCCEEDED, Kind.FINAL, "released", "nothing", "#2e7d32", style="green",
              frees_target=True, verdict=SUCCEEDED),
    StateInfo(S.ROLLED_BACK, Kind.FINAL, "production is where it was before the run", "nothing",
              "#f2a65a", style="yellow", frees_target=True, verdict=ROLLED_BACK),
    StateInfo(S.REFUSED, Kind.FINAL, "preflight found bad input; nothing in AWS changed",
              "nothing", "#b05fb0", style="magenta", frees_target=True, verdict=REFUSED),
    StateInfo(S.FAILED, Kind.FINAL, "could not finish and could not fully undo (resumable)",
              "an operator: `bluegreen resume {id}` retries it", "#c62828", style="bold red",
              verdict=FAILED),
)  # fmt: skip
STATES: dict[State, StateInfo] = {info.state: info for info in LIFECYCLE}


@dataclass(frozen=True)
class Transition:
    """`trigger` moves a run from any of `sources` to `dest`."""

    trigger: Trigger
    sources: tuple[State, ...]
    dest: State


def _t(trigger: Trigger, sources: Sequence[State], dest: State) -> Transition:
    return Transition(trigger, tuple(sources), dest)


FAILING: tuple[State, ...] = tuple(i.state for i in LIFECYCLE if i.on_failure is T.FAIL)
# Where an operator may ask for a rollback: anything held (a failed run, an interrupted
# rollback the operator asks to finish, a queued run that is only cancelled).
ROLLBACK_SOURCES: tuple[State, ...] = tuple(i.state for i in LIFECYCLE if not i.frees_target)
TRANSITIONS: tuple[Transition, ...] = (
    _t(T.START, [S.QUEUED], S.PREFLIGHT),
    _t(T.PREFLIGHT_PASSED, [S.PREFLIGHT], S.CLONING),
    _t(T.CLONED, [S.CLONING], S.SWAPPING),
    _t(T.SWAPPED, [S.SWAPPING], S.DEPLOYING),
    _t(T.DEPLOYED, [S.DEPLOYING], S.VERIFYING),
    _t(T.PAUSE, [S.DEPLOYING, S.VERIFYING_GREEN], S.AWAITING_CUTOVER),
    _t(T.CUTOVER, [S.AWAITING_CUTOVER], S.VERIFYING),
    _t(T.VERIFIED, [S.VERIFYING], S.CUTTING_OVER),
    _t(T.CUT_OVER, [S.CUTTING_OVER], S.BAKING),
    _t(T.BAKED, [S.BAKING], S.CLEANING_UP),
    _t(T.CLEANED_UP, [S.CLEANING_UP], S.SUCCEEDED),
    _t(T.FAIL, FAILING, S.ROLLING_BACK),
    _t(T.REFUSE, [S.PREFLIGHT], S.REFUSED),
    _t(T.ROLLBACK, ROLLBACK_SOURCES, S.ROLLING_BACK),
    _t(T.UNDONE, [S.ROLLING_BACK], S.ROLLED_BACK),
    _t(T.GIVE_UP, [i.state for i in LIFECYCLE if i.on_failure is T.GIVE_UP], S.FAILED),
    _t(T.RETRY_ROLLBACK, [S.FAILED], S.ROLLING_BACK),
    _t(T.RETRY_CLEANUP, [S.FAILED], S.CLEANING_UP),
    _t(T.LAUNCH, [S.PREFLIGHT], S.LAUNCHING),
    _t(T.LAUNCHED, [S.LAUNCHING], S.VERIFYING_GREEN),
    _t(T.GREEN_VERIFIED, [S.VERIFYING_GREEN], S.GOING_LIVE),
    _t(T.GO_LIVE, [S.AWAITING_CUTOVER], S.GOING_LIVE),
    _t(T.WENT_LIVE, [S.GOING_LIVE], S.KEEPING_OLD),
    _t(T.KEPT, [S.KEEPING_OLD], S.RETIRING_OLD),
    _t(T.RETIRED, [S.RETIRING_OLD], S.SUCCEEDED),
    _t(T.RETRY_RETIRE, [S.FAILED], S.RETIRING_OLD),
    _t(T.SPLIT, [S.PREFLIGHT], S.SPLITTING),
    _t(T.SPLIT_DONE, [S.SPLITTING], S.SUCCEEDED),
)


@dataclass(frozen=True)
class StrategyInfo:
    """A strategy's path through the one table: the trigger preflight starts it with, the one
    `bluegreen cutover` fires on a run it left waiting (None: it never waits), and its steps."""

    strategy: Strategy
    start: Trigger
    cutover: Trigger | None
    path: tuple[State, ...]
    summary: str


STRATEGIES: dict[Strategy, StrategyInfo] = {
    Strategy.SWAP_BACK: StrategyInfo(
        Strategy.SWAP_BACK, T.PREFLIGHT_PASSED, T.CUTOVER,
        (S.PREFLIGHT, S.CLONING, S.SWAPPING, S.DEPLOYING, S.VERIFYING, S.CUTTING_OVER,
         S.BAKING, S.CLEANING_UP, S.SUCCEEDED),
        "clone blue on the old version, swap, deploy blue, verify it, swap back, terminate "
        "green: blue keeps its name and CNAME; two DNS settles",
    ),
    Strategy.SWAP_AND_KEEP: StrategyInfo(
        Strategy.SWAP_AND_KEEP, T.LAUNCH, T.GO_LIVE,
        (S.PREFLIGHT, S.LAUNCHING, S.VERIFYING_GREEN, S.GOING_LIVE, S.KEEPING_OLD,
         S.RETIRING_OLD, S.SUCCEEDED),
        "green from blue's configuration on the new version, verified, one swap; the old "
        "environment kept for --keep-old, then terminated: the live environment's name "
        "alternates, the live CNAME does not",
    ),
    Strategy.TRAFFIC_SPLIT: StrategyInfo(
        Strategy.TRAFFIC_SPLIT, T.SPLIT, None,
        (S.PREFLIGHT, S.SPLITTING, S.SUCCEEDED),
        "no clone: EB's traffic-splitting deployment on blue sends --canary-percent of live "
        "traffic to the new version for --canary-minutes, aborted on a regression",
    ),
}  # fmt: skip


def states_where(**wanted: object) -> tuple[State, ...]:
    """The states whose record has every attribute as given, in display order
    (`states_where(worker_drives=True)`, `states_where(frees_target=False)`)."""
    return tuple(
        info.state
        for info in LIFECYCLE
        if all(getattr(info, name) == value for name, value in wanted.items())
    )
