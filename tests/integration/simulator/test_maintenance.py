"""Saved configurations in the storage bucket, tag updates, rebuilding and restoring,
restarting app servers, the account's quotas, the Update* calls and single-instance
environments (evidence: simulator/eb/saved.py, maintenance.py, models.py)."""

from __future__ import annotations

import yaml

from tests.integration.simulator.conftest import STACK, Stepped, failure

BUCKET = "elasticbeanstalk-us-east-1-123456789012"
SCALING = {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "9"}


def _saved(stepped: Stepped, name: str) -> dict[str, object]:
    body = stepped.s3.get_object(Bucket=BUCKET, Key=f"resources/templates/shop/{name}")["Body"]
    return dict(yaml.safe_load(body.read()))


def test_a_template_is_saved_to_the_storage_bucket_as_eb_writes_it(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=[SCALING])
    blue_id = stepped.env("shop-blue")["EnvironmentId"]

    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="run-1", EnvironmentId=blue_id, Description="d"
    )

    saved = _saved(stepped, "run-1")
    assert saved["AWSConfigurationTemplateVersion"] == "1.1.0.0"
    assert saved["Platform"] == {"PlatformArn": stepped.env("shop-blue")["PlatformArn"]}
    assert saved["OptionSettings"]["aws:autoscaling:asg"]["MaxSize"] == "9"  # type: ignore[index]
    stepped.eb.delete_configuration_template(ApplicationName="shop", TemplateName="run-1")
    assert "Contents" not in stepped.s3.list_objects_v2(Bucket=BUCKET, Prefix="resources/templates")


def test_a_saved_configuration_changed_or_put_in_s3_is_what_eb_uses(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="base", SolutionStackName=STACK
    )
    saved = _saved(stepped, "base")
    saved["OptionSettings"] = {"aws:autoscaling:asg": {"MaxSize": "3"}}
    stepped.s3.put_object(
        Bucket=BUCKET, Key="resources/templates/shop/put", Body=yaml.safe_dump(saved)
    )

    stepped.eb.create_environment(
        ApplicationName="shop", EnvironmentName="shop-blue", TemplateName="put", VersionLabel="v1"
    )

    settings = stepped.eb.describe_configuration_settings(
        ApplicationName="shop", TemplateName="put"
    )
    options = settings["ConfigurationSettings"][0]["OptionSettings"]
    assert SCALING | {"Value": "3"} in options
    names = stepped.eb.describe_applications()["Applications"][0]["ConfigurationTemplates"]
    assert names == ["base", "put"]


def test_a_saved_configuration_with_an_option_eb_refuses_is_refused_when_used(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="base", SolutionStackName=STACK
    )
    saved = _saved(stepped, "base")
    saved["OptionSettings"] = {"aws:autoscaling:asg": {"MaxSize": "lots"}}
    stepped.s3.put_object(
        Bucket=BUCKET, Key="resources/templates/shop/base", Body=yaml.safe_dump(saved)
    )

    refused = failure(
        stepped.eb.create_environment,
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        TemplateName="base",
    )

    assert refused.code == "ConfigurationValidationException"
    assert "OptionName: 'MaxSize'): Value is not an integer." in refused.message


def test_environment_tags_are_updated_by_an_environment_update(stepped: Stepped) -> None:
    stepped.app()
    arn = stepped.launch("shop-blue", Tags=[{"Key": "team", "Value": "a"}])["EnvironmentArn"]

    stepped.eb.update_tags_for_resource(
        ResourceArn=arn, TagsToAdd=[{"Key": "cost", "Value": "1"}], TagsToRemove=["team"]
    )

    assert stepped.env("shop-blue")["Status"] == "Updating"
    stepped.advance(6)
    assert "Environment tag update completed successfully." in stepped.messages()
    tags = stepped.eb.list_tags_for_resource(ResourceArn=arn)["ResourceTags"]
    assert {"Key": "cost", "Value": "1"} in tags and all(t["Key"] != "team" for t in tags)
    reserved = failure(stepped.eb.update_tags_for_resource, ResourceArn=arn, TagsToRemove=["Name"])
    assert reserved.code == "InvalidParameterValue"


def test_a_terminated_environment_is_restored_by_a_rebuild(stepped: Stepped) -> None:
    stepped.app()
    blue = stepped.launch("shop-blue")
    stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    stepped.advance(241)

    stepped.eb.rebuild_environment(EnvironmentId=blue["EnvironmentId"])

    assert stepped.env("shop-blue")["Status"] == "Launching"
    stepped.advance(181)
    back = stepped.env("shop-blue")
    assert (back["EnvironmentId"], back["CNAME"], back["VersionLabel"], back["Status"]) == (
        blue["EnvironmentId"],
        blue["CNAME"],
        "v1",
        "Ready",
    )
    assert stepped.sim.get(f"http://{back['CNAME']}/") == (200, "version v1")


def test_a_running_environment_is_rebuilt_and_its_app_server_restarted(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    stepped.eb.restart_app_server(EnvironmentName="shop-blue")
    assert stepped.env("shop-blue")["Status"] == "Updating"
    busy = failure(stepped.eb.rebuild_environment, EnvironmentName="shop-blue")
    stepped.advance(11)
    stepped.eb.rebuild_environment(EnvironmentName="shop-blue")
    stepped.advance(181)

    assert busy.code == "InvalidParameterValue"
    messages = stepped.messages(EnvironmentName="shop-blue")
    assert "restartAppServer completed successfully." in messages
    assert "rebuildEnvironment completed successfully." in messages
    assert stepped.env("shop-blue")["Status"] == "Ready"


def test_account_quotas_and_the_update_calls(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="t", SolutionStackName=STACK
    )

    quotas = stepped.eb.describe_account_attributes()["ResourceQuotas"]
    app = stepped.eb.update_application(ApplicationName="shop", Description="the shop")
    version = stepped.eb.update_application_version(
        ApplicationName="shop", VersionLabel="v1", Description="first"
    )
    template = stepped.eb.update_configuration_template(
        ApplicationName="shop", TemplateName="t", OptionSettings=[SCALING]
    )
    bad = failure(
        stepped.eb.update_configuration_template,
        ApplicationName="shop",
        TemplateName="t",
        OptionSettings=[SCALING | {"Value": "0"}],
    )

    assert quotas["ApplicationQuota"] == {"Maximum": 75}
    assert app["Application"]["Description"] == "the shop"
    assert version["ApplicationVersion"]["Description"] == "first"
    assert SCALING in template["OptionSettings"]
    assert _saved(stepped, "t")["OptionSettings"]["aws:autoscaling:asg"]["MaxSize"] == "9"  # type: ignore[index]
    assert bad.code == "ConfigurationValidationException"


def test_a_single_instance_environment_has_no_load_balancer(stepped: Stepped) -> None:
    stepped.app()
    single = {
        "Namespace": "aws:elasticbeanstalk:environment",
        "OptionName": "EnvironmentType",
        "Value": "SingleInstance",
    }

    created = stepped.launch("shop-blue", OptionSettings=[single])

    env = stepped.env("shop-blue")
    resources = stepped.eb.describe_environment_resources(EnvironmentName="shop-blue")
    assert env["EndpointURL"].startswith("203.0.113.")  # the instance's address
    assert created["Resources"] == {} and resources["EnvironmentResources"]["LoadBalancers"] == []
    assert stepped.sim.get(f"http://{env['CNAME']}/") == (200, "version v1")
    balancers = stepped.sim.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert balancers == []
