"""The EB CLI (`awsebcli`), unpatched, against the simulator: the everyday workflows of
issue 9, each with its real exit code and output checked, within a time bound."""

from __future__ import annotations

import json

import pytest

from simulator.seed import wait_for_environment
from tests.conformance.conftest import APP, BLUE, SCALING, World

pytestmark = [pytest.mark.conformance, pytest.mark.timeout(900)]


def test_eb_init_sets_the_project_up_without_a_prompt(world: World) -> None:
    done = world.eb("init", APP, "--platform", "python-3.11", "--region", world.sim.region)

    assert done.code == 0, done
    config = (world.project / ".elasticbeanstalk" / "config.yml").read_text()
    assert "application_name: shop" in config and "default_region: us-east-1" in config


def test_eb_list_shows_the_applications_environments(initialised: World) -> None:
    done = initialised.eb("list")

    assert done.code == 0, done
    assert BLUE in done.stdout.split()


def test_eb_status_describes_blue(initialised: World) -> None:
    done = initialised.eb("status", BLUE)

    assert done.code == 0, done
    for line in ("Deployed Version: v1", "Status: Ready", "Health: Green", "Tier: WebServer"):
        assert line in done.stdout, done


def test_eb_status_verbose_reports_blues_instance_healthy_in_its_target_group(
    initialised: World,
) -> None:
    done = initialised.eb("status", BLUE, "--verbose")

    assert done.code == 0, done
    instance = initialised.resources(BLUE)["Instances"][0]["Id"]
    lines = [line.strip() for line in done.stdout.splitlines()]
    # After the details: the instance count, then one line per target of each target group of
    # the load balancer (ebcli/operations/statusops.py, _print_elbv2_health_stats).
    assert lines[lines.index("Status: Ready") :] == [
        "Status: Ready",
        "Health: Green",
        "Running instances: 1",
        f"{instance}: healthy",
    ], done


def test_eb_health_draws_once_and_exits_without_a_terminal(initialised: World) -> None:
    done = initialised.eb("health", BLUE)

    assert done.code == 0, done
    assert BLUE in done.stdout and "Ok" in done.stdout


def test_eb_events_lists_blues_events(initialised: World) -> None:
    done = initialised.eb("events", BLUE)

    assert done.code == 0, done
    assert f"Successfully launched environment: {BLUE}" in done.stdout


def test_eb_deploy_of_an_existing_version_updates_blue(initialised: World) -> None:
    done = initialised.eb("deploy", BLUE, "--version", "v2")

    assert done.code == 0, done
    assert "Environment update completed successfully." in done.stdout
    assert initialised.env(BLUE)["VersionLabel"] == "v2"
    assert initialised.sim.get(f"http://{initialised.target.cname}/") == (200, "version v2")


def test_eb_deploy_of_a_source_directory_with_process_uploads_and_deploys_it(
    initialised: World,
) -> None:
    (initialised.project / "application.py").write_text("print('hello')\n")
    manifest = {"body": "built from source"}
    (initialised.project / "simulator.json").write_text(json.dumps(manifest))

    done = initialised.eb("deploy", BLUE, "--process", "--label", "src-1")

    assert done.code == 0, done
    assert "Finished processing application version src-1" in done.stdout
    version = initialised.boto.describe_application_versions(
        ApplicationName=APP, VersionLabels=["src-1"]
    )["ApplicationVersions"][0]
    assert version["Status"] == "PROCESSED"
    assert version["SourceBundle"]["S3Bucket"].startswith("elasticbeanstalk-us-east-1-")
    assert initialised.sim.get(f"http://{initialised.target.cname}/") == (200, "built from source")


def test_eb_clone_makes_a_copy_with_blues_option_settings(initialised: World) -> None:
    done = initialised.eb("clone", BLUE, "--clone_name", "shop-copy", "--cname", "shop-copy")

    assert done.code == 0, done
    copy = wait_for_environment(initialised.sim, "shop-copy")
    assert copy["CNAME"] == "shop-copy.us-east-1.elasticbeanstalk.com"
    assert initialised.options("shop-copy")[(SCALING["Namespace"], "MaxSize")] == "7"


def _second_environment(world: World, name: str = "shop-copy") -> dict[str, object]:
    """Another environment of the application, made with boto3 (not the command under test)."""
    world.boto.create_configuration_template(
        ApplicationName=APP, TemplateName="copy-of-blue", EnvironmentId=world.target.blue_id
    )
    world.boto.create_environment(
        ApplicationName=APP, EnvironmentName=name, TemplateName="copy-of-blue", VersionLabel="v1"
    )
    return wait_for_environment(world.sim, name)


def test_eb_swap_exchanges_the_cnames(initialised: World) -> None:
    copy = _second_environment(initialised)

    done = initialised.eb("swap", BLUE, "--destination_name", "shop-copy")

    assert done.code == 0, done
    assert "Completed swapping CNAMEs" in done.stdout
    assert initialised.env(BLUE)["CNAME"] == copy["CNAME"]
    assert initialised.env("shop-copy")["CNAME"] == initialised.target.cname


def test_eb_setenv_sets_an_environment_property(initialised: World) -> None:
    done = initialised.eb("setenv", "GREETING=hello", "-e", BLUE)

    assert done.code == 0, done
    namespace = "aws:elasticbeanstalk:application:environment"
    assert initialised.options(BLUE)[(namespace, "GREETING")] == "hello"


def test_eb_scale_sets_the_instance_count(initialised: World) -> None:
    done = initialised.eb("scale", "2", BLUE)

    assert done.code == 0, done
    options = initialised.options(BLUE)
    assert options[("aws:autoscaling:asg", "MinSize")] == "2"
    assert options[("aws:autoscaling:asg", "MaxSize")] == "2"


def test_eb_abort_cancels_a_deployment_in_progress(initialised: World) -> None:
    initialised.sim.faults.stick(BLUE, ops=("update",), times=1)
    started = initialised.eb("deploy", BLUE, "--version", "v2", "--nohang")
    assert started.code == 0, started
    assert initialised.env(BLUE)["Status"] == "Updating"

    done = initialised.eb("abort", BLUE)

    assert done.code == 0, done
    assert "Aborting update to environment" in done.stdout
    back = wait_for_environment(initialised.sim, BLUE)
    assert back["VersionLabel"] == "v1"


def test_eb_terminate_force_terminates_without_a_prompt(initialised: World) -> None:
    _second_environment(initialised)

    done = initialised.eb("terminate", "shop-copy", "--force")

    assert done.code == 0, done
    assert "terminateEnvironment completed successfully." in done.stdout
    assert initialised.env("shop-copy")["Status"] == "Terminated"


def test_eb_logs_prints_the_instances_tail_logs(initialised: World) -> None:
    done = initialised.eb("logs", BLUE)

    assert done.code == 0, done
    assert f"{BLUE}: serving version v1" in done.stdout
