"""Ages typed by a user (`runs prune --older-than`): days (`7`, `0.5`) or an amount with a
unit (`7d`, `12h`, `30m`, `90s`, `2w`, the units of `runs list --since`). Finite, not
negative, at most MAX_AGE_DAYS: `nan`, `inf` and `1e10` are refused with one line.
"""

from __future__ import annotations

import math
import re

MAX_AGE_DAYS = 36_500.0  # 100 years: older than any run history
_AGE = re.compile(r"\s*(?P<amount>[0-9]+(\.[0-9]+)?)\s*(?P<unit>[smhdw]?)\s*", re.IGNORECASE)
_DAYS_PER_UNIT = {"s": 1 / 86_400, "m": 1 / 1_440, "h": 1 / 24, "d": 1.0, "w": 7.0, "": 1.0}


def age_in_days(text: str) -> float:
    """The age `text` gives, in days; ValueError (one line) for anything else."""
    found = _AGE.fullmatch(text)
    if found is None:
        raise ValueError(f"cannot read {text[:40]!r} as an age: use days (7, 0.5) or 7d, 12h, 30m")
    days = float(found["amount"]) * _DAYS_PER_UNIT[found["unit"].lower()]
    if not math.isfinite(days) or days > MAX_AGE_DAYS:
        raise ValueError(f"{text[:40]!r} is longer than {int(MAX_AGE_DAYS)} days (100 years)")
    return days
