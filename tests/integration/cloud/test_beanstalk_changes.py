"""Boto3Beanstalk's mutating methods against the simulator over HTTP: each test seeds its own
release target (app shop, versions v1 and v2, shop-blue Ready/Green on v1)."""

from __future__ import annotations

from pathlib import Path

from cloud.beanstalk import Boto3Beanstalk
from cloud.s3 import Boto3ArtifactStore
from engine.domain.bundles import bundle_key, version_label_for
from engine.domain.ports.cloud import CreateEnvironmentRequest, Environment
from simulator import Simulator, make_bundle
from simulator.seed import ReleaseTarget
from tests.integration.cloud.helpers import ready, terminated, version_processed, wait_for

TEMPLATE = "bluegreen-run-1"


def launch_green(beanstalk: Boto3Beanstalk, target: ReleaseTarget) -> Environment:
    beanstalk.create_template(target.app, TEMPLATE, target.blue_id, "bluegreen run run-1")
    request = CreateEnvironmentRequest(target.app, "shop-green", TEMPLATE, "v1")
    return wait_for(beanstalk, beanstalk.create_environment(request).id, ready)


def test_an_uploaded_bundle_becomes_a_processed_version(
    beanstalk: Boto3Beanstalk, store: Boto3ArtifactStore, application: str, tmp_path: Path
) -> None:
    bundle = tmp_path / "shop.zip"
    bundle.write_bytes(make_bundle("v3"))
    key, label = bundle_key(bundle), version_label_for(bundle)
    store.upload("artifacts", key, str(bundle))

    created = beanstalk.create_version("shop", label, "artifacts", key, "from shop.zip")

    assert (created.label, created.source_key) == (label, key)
    assert version_processed(beanstalk, "shop", label) == "PROCESSED"


def test_a_template_is_created_from_blue_and_deleted(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget
) -> None:
    beanstalk.create_template("shop", TEMPLATE, target.blue_id, "bluegreen run run-1")
    assert beanstalk.template_exists("shop", TEMPLATE)

    beanstalk.delete_template("shop", TEMPLATE)

    assert not beanstalk.template_exists("shop", TEMPLATE)


def test_deploying_a_version_updates_the_environment_to_it(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget
) -> None:
    beanstalk.deploy_version(target.blue_id, "v2")

    blue = wait_for(beanstalk, target.blue_id, lambda env: ready(env) and env.version_label == "v2")
    assert blue.is_healthy


def test_swapping_cnames_exchanges_the_urls_of_blue_and_green(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget
) -> None:
    green = launch_green(beanstalk, target)

    beanstalk.swap_cnames(target.blue_id, green.id)

    swapped = wait_for(beanstalk, green.id, lambda env: ready(env) and env.cname == target.cname)
    blue = wait_for(beanstalk, target.blue_id, ready)
    assert blue.cname == green.cname and swapped.cname == target.cname


def test_terminating_an_environment_ends_terminated_and_visible_only_as_deleted(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget
) -> None:
    beanstalk.terminate_environment(target.blue_id)

    wait_for(beanstalk, target.blue_id, terminated)
    assert beanstalk.describe_environments("shop") == []
    (gone,) = beanstalk.describe_environments("shop", include_deleted=True)
    assert gone.id == target.blue_id


def test_aborting_a_stuck_update_puts_the_environment_back_on_its_version(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget, aws_env: Simulator
) -> None:
    aws_env.faults.stick("shop-blue", ops=("update",))
    beanstalk.deploy_version(target.blue_id, "v2")
    assert wait_for(beanstalk, target.blue_id, lambda env: env.abortable).status == "Updating"

    beanstalk.abort_update(target.blue_id)

    blue = wait_for(beanstalk, target.blue_id, ready)
    assert blue.version_label == "v1"
