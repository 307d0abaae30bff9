"""DescribeEvents: AWS's messages for each operation, newest first, with every filter."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.simulator.conftest import STACK, Stepped


def _launched(stepped: Stepped) -> str:
    stepped.app()
    created = stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName=STACK,
        VersionLabel="v1",
    )
    stepped.advance(180)
    return str(created["ResponseMetadata"]["RequestId"])


def test_a_launch_records_its_events_with_the_request_id(stepped: Stepped) -> None:
    request_id = _launched(stepped)
    events = stepped.events(RequestId=request_id)
    assert [e["Message"] for e in events] == [
        "Environment health has transitioned from Pending to Ok. Initialization completed.",
        "Successfully launched environment: shop-blue",
        f"Application available at {stepped.env('shop-blue')['CNAME']}.",
        "Instance deployment completed successfully.",
        "createEnvironment is starting.",
    ]
    assert {(e["EnvironmentName"], e["ApplicationName"], e["Severity"]) for e in events} == {
        ("shop-blue", "shop", "INFO")
    }
    dates = [e["EventDate"] for e in events]
    assert dates == sorted(dates, reverse=True)


def test_an_update_records_its_events(stepped: Stepped) -> None:
    _launched(stepped)
    answer = stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(45)
    messages = stepped.messages(RequestId=answer["ResponseMetadata"]["RequestId"])
    assert messages == [
        "Environment health has transitioned from Info to Ok. Application update completed.",
        "Environment update completed successfully.",
        "New application version was deployed to running EC2 instances.",
        "Environment health has transitioned from Ok to Info. "
        "Application update in progress on 1 instance.",
        "Deploying new version to instance(s).",
        "Environment update is starting.",
    ]
    assert "Environment update is starting." in stepped.messages(VersionLabel="v2")


def test_swap_and_terminate_record_their_events(stepped: Stepped) -> None:
    _launched(stepped)
    stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        SolutionStackName=STACK,
        VersionLabel="v2",
    )
    stepped.advance(180)
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
    )
    stepped.advance(5)
    swapped = "Completed swapping CNAMEs for environments 'shop-blue' and 'shop-green'."
    assert stepped.messages(EnvironmentName="shop-blue")[0] == swapped
    assert stepped.messages(EnvironmentName="shop-green")[0] == swapped
    stepped.eb.terminate_environment(EnvironmentName="shop-green")
    stepped.advance(240)
    assert stepped.messages(EnvironmentName="shop-green")[:2] == [
        "terminateEnvironment completed successfully.",
        "terminateEnvironment is starting.",
    ]


def test_time_filters_are_inclusive_start_exclusive_end(stepped: Stepped) -> None:
    _launched(stepped)
    launched = stepped.events(EnvironmentName="shop-blue")[0]["EventDate"]
    newest = stepped.messages(EnvironmentName="shop-blue")[0]
    stepped.advance(10)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    since = stepped.messages(StartTime=launched)
    assert since[-1] == newest  # same instant: included
    assert "Environment update is starting." in since
    assert "Instance deployment completed successfully." not in since  # a millisecond earlier
    before = stepped.messages(EndTime=launched)
    assert "Instance deployment completed successfully." in before
    assert newest not in before
    assert stepped.messages(StartTime=launched + timedelta(days=1)) == []


def test_filters_by_application_environment_id_template_and_severity(stepped: Stepped) -> None:
    _launched(stepped)
    env_id = stepped.env("shop-blue")["EnvironmentId"]
    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="run-1", EnvironmentId=env_id
    )
    assert stepped.messages(TemplateName="run-1") == [
        "createConfigurationTemplate completed successfully."
    ]
    assert stepped.messages(EnvironmentId=env_id)[-1] == "createEnvironment is starting."
    assert stepped.messages(ApplicationName="other") == []
    stepped.sim.faults.fail_update("shop-blue")
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(45)
    severe = stepped.events(Severity="WARN")
    assert {e["Severity"] for e in severe} == {"WARN", "ERROR"}
    assert "Failed to deploy application." in [e["Message"] for e in severe]
    assert "Failed to deploy application." in stepped.messages(Severity="ERROR")


def test_events_are_paginated_newest_first(stepped: Stepped) -> None:
    _launched(stepped)
    everything = stepped.messages()
    first = stepped.eb.describe_events(MaxRecords=3)
    assert [e["Message"] for e in first["Events"]] == everything[:3]
    rest = stepped.eb.describe_events(MaxRecords=100, NextToken=first["NextToken"])
    assert [e["Message"] for e in rest["Events"]] == everything[3:]
    pages = stepped.eb.get_paginator("describe_events").paginate(PaginationConfig={"PageSize": 2})
    assert [e["Message"] for page in pages for e in page["Events"]] == everything


def test_events_of_one_step_have_distinct_increasing_dates(stepped: Stepped) -> None:
    _launched(stepped)  # several events in the same tick of the clock

    dates = [event["EventDate"] for event in stepped.events(EnvironmentName="shop-blue")]

    assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)


def test_events_after_the_newest_seen_plus_a_millisecond_are_none_lost(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_environment(
        ApplicationName="shop", EnvironmentName="shop-blue", SolutionStackName=STACK
    )
    first = stepped.events(EnvironmentName="shop-blue")[0]["EventDate"]
    stepped.advance(181)

    # ebcli/lib/elasticbeanstalk.py, get_new_events: StartTime = newest seen + 1 ms
    later = stepped.messages(EnvironmentName="shop-blue", StartTime=first + timedelta(0, 0, 1000))

    assert "Instance deployment completed successfully." in later
    assert "Successfully launched environment: shop-blue" in later
