"""Preflight: everything is checked before anything is touched; blue's facts are recorded once."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.domain.errors import ConfigurationError, DeadlineExceeded, StepFailed
from engine.domain.model import Bundle, HealthCheck, Run, Trigger
from states import preflight
from tests.fakes import Crash, FakeDurations, FakeWorld, make_run
from tests.unit.states.conftest import BLUE_CNAME, mutations

BUCKET = "artifacts"


def _zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


NEW_BUNDLE = _zip_of({"index.html": "new version"})


def test_preflight_records_blue_id_cname_previous_version_and_template(
    world: FakeWorld, run: Run
) -> None:
    assert preflight.run(world.context(run)) is Trigger.PREFLIGHT_PASSED

    blue = world.beanstalk.env(run.target.blue)
    assert (run.facts.blue_env_id, run.facts.blue_cname) == (blue.id, BLUE_CNAME)
    assert run.facts.previous_version_label == "v1"
    assert run.facts.template_name == "bluegreen-r-0001"
    assert mutations(world) == {}


def test_preflight_rerun_keeps_the_previous_version_it_recorded_first(
    world: FakeWorld, run: Run
) -> None:
    preflight.run(world.context(run))
    world.beanstalk.env(run.target.blue).version_label = "v2"

    preflight.run(world.context(run))

    assert run.facts.previous_version_label == "v1"


def _unknown_app(world: FakeWorld) -> Run:
    return make_run(app="nope")


def _unknown_blue(world: FakeWorld) -> Run:
    return make_run(blue="shop-gone")


def _blue_updating(world: FakeWorld) -> Run:
    world.beanstalk.env("shop-blue").status = "Updating"
    return make_run()


def _blue_red(world: FakeWorld) -> Run:
    world.beanstalk.env("shop-blue").health = "Red"
    return make_run()


def _blue_terminated(world: FakeWorld) -> Run:
    world.beanstalk.env("shop-blue").status = "Terminated"
    return make_run()


def _unknown_version(world: FakeWorld) -> Run:
    return make_run(version="v9")


def _failed_version(world: FakeWorld) -> Run:
    world.beanstalk.add_version("shop", "v3", status="FAILED")
    return make_run(version="v3")


def _green_name_taken(world: FakeWorld) -> Run:
    world.beanstalk.add_environment("shop", "shop-green", "v1")
    return make_run()


def _green_name_taken_by_another_run(world: FakeWorld) -> Run:
    world.beanstalk.add_environment("shop", "shop-green", "v1", **{"bluegreen:run-id": "r-9"})
    return make_run()


def _green_is_blue(world: FakeWorld) -> Run:
    return make_run(green="shop-blue")


def _green_name_invalid(world: FakeWorld) -> Run:
    return make_run(green="-bad_name-")


def _bad_credentials(world: FakeWorld) -> Run:
    world.beanstalk.credentials_valid = False
    return make_run()


def _missing_bundle_file(world: FakeWorld) -> Run:
    world.artifacts.add_bucket(BUCKET)
    return make_run(version="v3", bundle=Bundle("/nonexistent/app.zip", BUCKET))


def _green_is_blue_in_capitals(world: FakeWorld) -> Run:
    return make_run(green="SHOP-BLUE")


def _health_url_not_http(world: FakeWorld) -> Run:
    return make_run(health=HealthCheck(path="ftp://example/x"))


def _label_with_a_newline(world: FakeWorld) -> Run:
    return make_run(version="v2\nforged")


def _bundle_not_a_zip(world: FakeWorld) -> Run:
    world.artifacts.add_bucket(BUCKET)
    path = world_tmp() / "junk.zip"
    path.write_bytes(b"not a zip")
    return make_run(version="v3", bundle=Bundle(str(path), BUCKET))


def world_tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="preflight-"))


BAD_INPUTS: dict[str, Callable[[FakeWorld], Run]] = {
    "application nope does not exist": _unknown_app,
    "environment shop-gone does not exist": _unknown_blue,
    "Updating, not Ready": _blue_updating,
    "not healthy: Red": _blue_red,
    "environment shop-blue does not exist": _blue_terminated,
    "version v9 does not exist": _unknown_version,
    "v3 is FAILED": _failed_version,
    "green name taken": _green_name_taken,
    "green name taken: environment shop-green": _green_name_taken_by_another_run,
    "must differ from blue": _green_is_blue,
    "is not a valid environment name": _green_name_invalid,
    "credentials do not work": _bad_credentials,
    "cannot read bundle": _missing_bundle_file,
    "must differ from blue's": _green_is_blue_in_capitals,
    "only http:// and https://": _health_url_not_http,
    "control character": _label_with_a_newline,
    "not a zip file": _bundle_not_a_zip,
}


@pytest.mark.parametrize(("message", "arrange"), BAD_INPUTS.items(), ids=list(BAD_INPUTS))
def test_preflight_rejects_bad_input_before_any_mutating_call(
    world: FakeWorld, message: str, arrange: Callable[[FakeWorld], Run]
) -> None:
    world.seed_release()
    run = arrange(world)

    with pytest.raises(ConfigurationError, match=message):
        preflight.run(world.context(run))

    assert mutations(world) == {}
    assert world.artifacts.calls["upload"] == 0


def test_preflight_accepts_this_runs_own_green_under_the_green_name(
    world: FakeWorld, run: Run
) -> None:
    world.beanstalk.add_environment("shop", "shop-green", "v1", **{"bluegreen:run-id": run.id})

    assert preflight.run(world.context(run)) is Trigger.PREFLIGHT_PASSED


@pytest.mark.parametrize("status", ["UNPROCESSED", "PROCESSED", "Processed", "unprocessed"])
def test_preflight_accepts_processed_and_unprocessed_versions_in_any_case(
    world: FakeWorld, status: str
) -> None:
    world.seed_release()
    world.beanstalk.add_version("shop", "v3", status=status)

    assert preflight.run(world.context(make_run(version="v3"))) is Trigger.PREFLIGHT_PASSED


@pytest.mark.parametrize("status", ["PROCESSING", "BUILDING"])
def test_preflight_waits_for_a_version_still_processing(world: FakeWorld, status: str) -> None:
    world.seed_release()
    world.beanstalk.add_version("shop", "v3", status=status)
    world.beanstalk.versions[("shop", "v3")].processed_at = 30.0
    run = make_run(version="v3")

    assert preflight.run(world.context(run)) is Trigger.PREFLIGHT_PASSED
    assert world.clock.monotonic() >= 30.0


@pytest.fixture
def bundle_run(world: FakeWorld, tmp_path: Path) -> Run:
    world.seed_release()
    world.artifacts.add_bucket(BUCKET)
    path = tmp_path / "app.zip"
    path.write_bytes(NEW_BUNDLE)
    return make_run(version="v3", bundle=Bundle(str(path), BUCKET))


def test_a_bundle_is_uploaded_under_its_content_hash_and_registered(
    world: FakeWorld, bundle_run: Run
) -> None:
    assert preflight.run(world.context(bundle_run)) is Trigger.PREFLIGHT_PASSED

    key = bundle_run.facts.bundle_key
    digest = hashlib.sha256(NEW_BUNDLE).hexdigest()
    assert key == f"bluegreen/bundles/{digest[:16]}-app.zip"
    assert bundle_run.facts.bundle_bucket == BUCKET
    assert world.artifacts.objects[(BUCKET, key)] == NEW_BUNDLE
    version = world.beanstalk.versions[("shop", "v3")].version
    assert (version.status, version.source_bucket, version.source_key) == ("PROCESSED", BUCKET, key)


def test_the_same_bundle_again_reuses_the_object_and_the_version(
    world: FakeWorld, bundle_run: Run
) -> None:
    preflight.run(world.context(bundle_run))
    again = make_run(run_id="r-0002", version="v3", bundle=bundle_run.bundle)

    assert preflight.run(world.context(again)) is Trigger.PREFLIGHT_PASSED
    assert world.artifacts.calls["upload"] == 1
    assert world.beanstalk.calls["create_version"] == 1


@pytest.mark.parametrize("crash_point", ["upload", "bundle facts", "create_version"])
def test_preflight_rerun_after_a_crash_registers_the_bundle_once(
    world: FakeWorld, bundle_run: Run, crash_point: str
) -> None:
    if crash_point == "upload":
        world.artifacts.crash_after.add("upload")
    elif crash_point == "bundle facts":
        world.journal(bundle_run).crash_after_facts = 2  # blue's facts come first
    else:
        world.beanstalk.crash_after.add("create_version")
    with pytest.raises(Crash):
        preflight.run(world.context(bundle_run))

    assert preflight.run(world.context(bundle_run)) is Trigger.PREFLIGHT_PASSED
    assert world.artifacts.calls["upload"] == 1
    assert world.beanstalk.calls["create_version"] == 1
    assert bundle_run.facts.bundle_key is not None


def test_a_label_taken_by_another_bundle_is_refused_before_uploading(
    world: FakeWorld, bundle_run: Run
) -> None:
    world.beanstalk.add_version("shop", "v3")

    with pytest.raises(ConfigurationError, match="v3 already exists from another bundle"):
        preflight.run(world.context(bundle_run))
    assert world.artifacts.calls["upload"] == 0


def test_a_missing_bucket_is_a_configuration_error(world: FakeWorld, bundle_run: Run) -> None:
    world.artifacts.buckets.clear()

    with pytest.raises(ConfigurationError, match="bucket artifacts"):
        preflight.run(world.context(bundle_run))


def test_a_bundle_that_eb_fails_to_process_fails_the_step(
    world: FakeWorld, bundle_run: Run
) -> None:
    world.beanstalk.failed_processing.add("v3")

    with pytest.raises(StepFailed, match="v3 is FAILED"):
        preflight.run(world.context(bundle_run))


def test_version_processing_has_a_deadline(world: FakeWorld, bundle_run: Run) -> None:
    world.beanstalk.durations = FakeDurations(process=10_000)

    with pytest.raises(DeadlineExceeded, match="not processed within 600 s"):
        preflight.run(world.context(bundle_run))
    assert 600 <= world.clock.monotonic() < 700


@pytest.mark.parametrize(
    "arrange", [_unknown_app, _unknown_blue, _unknown_version], ids=["app", "blue", "version"]
)
def test_what_does_not_exist_is_said_with_the_region_it_was_looked_for_in(
    world: FakeWorld, arrange: Callable[[FakeWorld], Run]
) -> None:
    world.seed_release()
    run = arrange(world)

    with pytest.raises(ConfigurationError, match=run.target.region):
        preflight.run(world.context(run))
