"""Environment names: the one rule of what Elastic Beanstalk accepts, and how it compares them.

The rule (CreateEnvironment, EnvironmentName): 4 to 40 characters, letters, digits and hyphens,
not starting or ending with a hyphen (botocore's model: min 4, max 40; the EB API reference
adds the character rule). Settings and preflight both use `environment_name_problem`.

Comparison: evidence is thin: AWS documents names as unique per account and region, and
derives each environment's CNAME (a DNS name, case-insensitive) from its name, so `SHOP-BLUE`
and `shop-blue` cannot both exist. The stricter reading is taken: names equal ignoring case.
"""

from __future__ import annotations

import re

ENVIRONMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]")
ENVIRONMENT_NAME_RULE = "4-40 letters, digits or hyphens, not starting or ending with a hyphen"


def environment_name_problem(name: str) -> str | None:
    """Why EB would refuse `name` as an environment name, or None."""
    if ENVIRONMENT_NAME.fullmatch(name):
        return None
    return f"must be {ENVIRONMENT_NAME_RULE}"


def same_environment_name(first: str, second: str) -> bool:
    return first.casefold() == second.casefold()
