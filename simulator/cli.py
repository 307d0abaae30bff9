"""`bluegreen simulator ...`: run the local AWS stand-in from the command line."""

from __future__ import annotations

import click


@click.group("simulator")
def simulator_group() -> None:
    """The local AWS stand-in (Elastic Beanstalk + S3)."""
