"""AWS's documented limits on the names a release is given, checked before any call is made.

Elastic Beanstalk (botocore's model, elasticbeanstalk 2010-12-01): ApplicationName and
VersionLabel 1-100 characters, Description at most 200; the EB console guide adds that an
application name is "up to 100 Unicode characters, not including forward slash (/)".
Environment names: `engine.domain.environment_names`. S3 bucket names (S3 User Guide,
"Bucket naming rules"): 3-63 lowercase letters, digits, dots and hyphens, beginning and ending
with a letter or digit. CloudWatch AlarmName: 1-255. Route 53 hosted zone ids: at most 32.
"""

from __future__ import annotations

import re

NAME_LIMIT = 100  # ApplicationName, VersionLabel, ConfigurationTemplateName
DESCRIPTION_LIMIT = 200
ALARM_NAME_LIMIT = 255
ZONE_ID_LIMIT = 32
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-4 ...
_REGION = re.compile(r"[a-z]{2,}(-[a-z0-9]+)+-[0-9]{1,2}")


def application_name_problem(name: str) -> str | None:
    return "must not hold a slash (/)" if "/" in name else None


def bucket_name_problem(name: str) -> str | None:
    if _BUCKET.fullmatch(name) and ".." not in name:
        return None
    return "must be 3-63 lowercase letters, digits, dots or hyphens, a letter or digit at each end"


def region_problem(name: str) -> str | None:
    return None if _REGION.fullmatch(name) else "is not an AWS region name (e.g. eu-west-1)"


def description_within_limit(text: str) -> str:
    """A description EB accepts: cut to DESCRIPTION_LIMIT characters."""
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"
