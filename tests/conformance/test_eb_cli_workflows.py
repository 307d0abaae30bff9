"""The EB CLI (`awsebcli`), unpatched, against the stricter simulator (issue 20): a new user's
`eb init` + `eb create` (load-balanced and `--single`), saved configurations (`eb config
save/get/put/list/delete`), `eb appversion --delete`, `eb tags`, `eb restore`,
`eb platform list`, and a setting EB refuses reaching the user as EB's message."""

from __future__ import annotations

import pytest
import yaml

from simulator.seed import wait_for_environment
from tests.conformance.conftest import APP, BLUE, World

pytestmark = [pytest.mark.conformance, pytest.mark.timeout(900)]

BUCKET = "elasticbeanstalk-us-east-1-123456789012"


def _source(world: World) -> None:
    (world.project / "application.py").write_text("print('hello')\n")


def test_eb_init_then_eb_create_launches_a_load_balanced_environment(world: World) -> None:
    init = world.eb("init", APP, "--platform", "python-3.11", "--region", world.sim.region)
    assert init.code == 0, init
    _source(world)

    done = world.eb("create", "shop-new", "--cname", "shop-new", "--elb-type", "application")

    assert done.code == 0, done
    assert "Successfully launched environment: shop-new" in done.stdout
    env = world.env("shop-new")
    assert (env["Status"], env["Health"]) == ("Ready", "Green")
    assert world.resources("shop-new")["LoadBalancers"] != []
    # the default roles the EB CLI made, with AWS's managed policies attached
    iam = world.sim.client("iam")
    attached = iam.list_attached_role_policies(RoleName="aws-elasticbeanstalk-ec2-role")
    names = [p["PolicyName"] for p in attached["AttachedPolicies"]]
    assert "AWSElasticBeanstalkWebTier" in names


def test_eb_create_single_launches_one_instance_without_a_load_balancer(
    initialised: World,
) -> None:
    _source(initialised)

    done = initialised.eb("create", "shop-single", "--single", "--cname", "shop-single")

    assert done.code == 0, done
    env = initialised.env("shop-single")
    assert env["Status"] == "Ready" and env["EndpointURL"].startswith("203.0.113.")
    assert initialised.resources("shop-single")["LoadBalancers"] == []


def test_eb_config_save_get_put_list_and_delete(initialised: World) -> None:
    saved_file = initialised.project / ".elasticbeanstalk" / "saved_configs" / "nightly.cfg.yml"

    save = initialised.eb("config", "save", BLUE, "--cfg", "nightly")
    assert save.code == 0, save
    assert "Configuration saved at:" in save.stdout
    content = yaml.safe_load(saved_file.read_text())
    assert content["OptionSettings"]["aws:autoscaling:asg"]["MaxSize"] == "7"

    content["OptionSettings"]["aws:autoscaling:asg"]["MaxSize"] = "5"
    saved_file.write_text(yaml.safe_dump(content))
    put = initialised.eb("config", "put", "nightly")
    assert put.code == 0, put
    template = initialised.boto.describe_configuration_settings(
        ApplicationName=APP, TemplateName="nightly"
    )["ConfigurationSettings"][0]
    assert {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "5"} in (
        template["OptionSettings"]
    )

    saved_file.unlink()
    get = initialised.eb("config", "get", "nightly")
    assert get.code == 0, get
    assert yaml.safe_load(saved_file.read_text())["OptionSettings"]["aws:autoscaling:asg"] == {
        "MaxSize": "5"
    } | {
        k: v for k, v in content["OptionSettings"]["aws:autoscaling:asg"].items() if k != "MaxSize"
    }

    listed = initialised.eb("config", "list")
    assert listed.code == 0 and "nightly" in listed.stdout.split(), listed
    deleted = initialised.eb("config", "delete", "nightly")
    assert deleted.code == 0, deleted
    objects = initialised.sim.client("s3").list_objects_v2(
        Bucket=BUCKET, Prefix="resources/templates/"
    )
    assert "Contents" not in objects


def test_eb_config_put_of_a_setting_eb_refuses_shows_ebs_message(initialised: World) -> None:
    config = initialised.project / ".elasticbeanstalk" / "saved_configs" / "broken.cfg.yml"
    config.parent.mkdir(parents=True, exist_ok=True)
    stack = initialised.env(BLUE)["PlatformArn"]
    config.write_text(
        yaml.safe_dump(
            {
                "EnvironmentConfigurationMetadata": {"Description": "x"},
                "Platform": {"PlatformArn": stack},
                "OptionSettings": {"aws:autoscaling:asg": {"MinSizes": "1"}},
                "AWSConfigurationTemplateVersion": "1.1.0.0",
            }
        )
    )

    done = initialised.eb("config", "put", "broken")

    output = done.stdout + done.stderr
    assert "OptionName: 'MinSizes'): Unknown configuration setting." in output, done


def test_eb_appversion_delete_deletes_the_version_and_its_bundle(initialised: World) -> None:
    s3 = initialised.sim.client("s3")
    bucket = initialised.target.bucket
    before = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]

    done = initialised.eb("appversion", "--delete", "v2", answer="y\n")  # it asks first

    assert done.code == 0, done
    versions = initialised.boto.describe_application_versions(ApplicationName=APP)
    assert [v["VersionLabel"] for v in versions["ApplicationVersions"]] == ["v1"]
    after = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert len(after) == len(before) - 1


def test_eb_tags_add_and_delete_update_blues_tags(initialised: World) -> None:
    added = initialised.eb("tags", BLUE, "--add", "team=shop,cost=7")
    assert added.code == 0, added
    deleted = initialised.eb("tags", BLUE, "--delete", "cost")
    assert deleted.code == 0, deleted

    arn = initialised.env(BLUE)["EnvironmentArn"]
    tags = initialised.boto.list_tags_for_resource(ResourceArn=arn)["ResourceTags"]
    assert {"Key": "team", "Value": "shop"} in tags and all(t["Key"] != "cost" for t in tags)


def test_eb_restore_brings_a_terminated_environment_back(initialised: World) -> None:
    blue = initialised.env(BLUE)
    initialised.boto.terminate_environment(EnvironmentName=BLUE)
    wait_for_environment(initialised.sim, BLUE, status="Terminated")

    done = initialised.eb("restore", blue["EnvironmentId"])

    assert done.code == 0, done
    back = wait_for_environment(initialised.sim, BLUE)
    assert (back["EnvironmentId"], back["CNAME"]) == (blue["EnvironmentId"], blue["CNAME"])


def test_eb_platform_list_lists_the_served_platform_versions(initialised: World) -> None:
    done = initialised.eb("platform", "list", "--verbose")

    assert done.code == 0, done
    # --verbose: every solution stack by name (ebcli/controllers/platform/list.py, all_platforms)
    assert done.stdout.splitlines() == [
        "64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
        "64bit Amazon Linux 2023 v4.1.2 running Python 3.11",
    ], done
