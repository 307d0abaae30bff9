"""Environment names compared the way Elastic Beanstalk compares them.

Evidence is thin: AWS documents names as unique per account and region, and derives each
environment's CNAME (a DNS name, case-insensitive) from its name, so `SHOP-BLUE` and
`shop-blue` cannot both exist. The stricter reading is taken: names equal ignoring case.
"""

from __future__ import annotations


def same_environment_name(first: str, second: str) -> bool:
    return first.casefold() == second.casefold()
