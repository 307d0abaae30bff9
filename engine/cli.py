"""The `bluegreen` command line: thin commands that call the engine."""

from __future__ import annotations

import click

from simulator.cli import simulator_group


@click.group()
@click.version_option(package_name="beanstalk-bluegreen")
def main() -> None:
    """Blue/green releases for AWS Elastic Beanstalk."""


main.add_command(simulator_group)
