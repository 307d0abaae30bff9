"""Which action each working state of the lifecycle runs; each returns its happy-path trigger.

`tests/unit/domain/test_lifecycle.py` checks that every working state has one here."""

from __future__ import annotations

from collections.abc import Mapping

from engine.domain.model import State
from engine.domain.step import Action
from states import (
    baking,
    cleaning_up,
    cloning,
    cutting_over,
    deploying,
    going_live,
    keeping_old,
    launching,
    preflight,
    queued,
    retiring_old,
    rolling_back,
    splitting,
    swapping,
    verifying,
    verifying_green,
)

ACTIONS: Mapping[State, Action] = {
    State.QUEUED: queued.run,  # -> START
    State.PREFLIGHT: preflight.run,  # -> PREFLIGHT_PASSED
    State.CLONING: cloning.run,  # -> CLONED
    State.SWAPPING: swapping.run,  # -> SWAPPED
    State.DEPLOYING: deploying.run,  # -> DEPLOYED, or PAUSE in mode deploy
    State.VERIFYING: verifying.run,  # -> VERIFIED
    State.CUTTING_OVER: cutting_over.run,  # -> CUT_OVER
    State.BAKING: baking.run,  # -> BAKED
    State.CLEANING_UP: cleaning_up.run,  # -> CLEANED_UP
    State.ROLLING_BACK: rolling_back.run,  # -> UNDONE
    # swap-and-keep
    State.LAUNCHING: launching.run,  # -> LAUNCHED
    State.VERIFYING_GREEN: verifying_green.run,  # -> GREEN_VERIFIED, or PAUSE in mode deploy
    State.GOING_LIVE: going_live.run,  # -> WENT_LIVE
    State.KEEPING_OLD: keeping_old.run,  # -> KEPT
    State.RETIRING_OLD: retiring_old.run,  # -> RETIRED
    # traffic-split
    State.SPLITTING: splitting.run,  # -> SPLIT_DONE
}
