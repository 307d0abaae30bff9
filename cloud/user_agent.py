"""The User-Agent this project sends to AWS and to the health-checked applications."""

from __future__ import annotations

from importlib import metadata


def package_version() -> str:
    """This project's installed version (a checkout without metadata says so)."""
    try:
        return metadata.version("beanstalk-bluegreen")
    except metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"beanstalk-bluegreen/{package_version()}"
