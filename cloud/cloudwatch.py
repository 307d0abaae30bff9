"""Boto3Alarms: the Alarms port over CloudWatch's DescribeAlarms (metric and composite alarms)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import boto3

from cloud.aws import AwsConfig, make_client
from cloud.aws_calls import CallRecorder, RetryReporter
from cloud.translate import translate_errors
from engine.domain.ports.alarms import AlarmState

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient

# DescribeAlarms takes at most 100 AlarmNames per call (CloudWatch API reference).
NAMES_PER_CALL = 100


class Boto3Alarms:
    """Reads alarm states; a name CloudWatch does not know is simply absent from the answer."""

    def __init__(
        self, session: boto3.Session, config: AwsConfig, on_retry: RetryReporter | None = None
    ) -> None:
        self._recorder = CallRecorder(on_retry)
        self._cloudwatch = cast("CloudWatchClient", make_client(session, "cloudwatch", config))
        self._recorder.attach(self._cloudwatch)

    def alarm_states(self, names: Sequence[str]) -> Mapping[str, AlarmState]:
        found: dict[str, AlarmState] = {}
        for start in range(0, len(names), NAMES_PER_CALL):
            found.update(self._describe(list(names[start : start + NAMES_PER_CALL])))
        return found

    def _describe(self, names: list[str]) -> dict[str, AlarmState]:
        found: dict[str, AlarmState] = {}
        with translate_errors():
            pages = self._cloudwatch.get_paginator("describe_alarms").paginate(
                AlarmNames=names, AlarmTypes=["MetricAlarm", "CompositeAlarm"]
            )
            for page in pages:
                alarms: list[Any] = [
                    *page.get("MetricAlarms", []),
                    *page.get("CompositeAlarms", []),
                ]
                for alarm in alarms:
                    state = _state(alarm)
                    found[state.name] = state
        return found


def _state(alarm: Mapping[str, Any]) -> AlarmState:
    return AlarmState(
        name=str(alarm["AlarmName"]),
        state=str(alarm.get("StateValue", "INSUFFICIENT_DATA")),
        reason=str(alarm.get("StateReason", "")),
    )
