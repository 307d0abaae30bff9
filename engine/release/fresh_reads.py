"""A Beanstalk port that answers a read again from an answer seconds old, while nothing changed.

A release reads the same things in bursts: the poller sees green Ready, and the step that was
waiting reads green again at once to act on it; the drift check and the warm-up each read
blue, green and their settings a few milliseconds apart. Each repeat costs an EB read call
(DescribeEnvironments is throttled per account, shared by every tool in it) and tells nothing
new: EB's reads are eventually consistent, so an answer `max_age` seconds old is as good as
one that raced a change by that much.

The rules, so that no step ever acts on something older than its own last change:
- an answer is reused for at most `max_age` seconds (about 2 AWS-seconds, shorter than any
  poll interval a wait's end is detected with) on the monotonic clock;
- any mutating call made through this object forgets everything, before it is sent and again
  when it returns or fails (a lost response included); an answer whose call was under way
  when a change began is never kept;
- only the same question is answered again: describes by id are kept per environment (any
  describe answer with IncludeDeleted names every environment asked for; one without it
  cannot say an id is gone), describes by name per application and name (an answer without
  IncludeDeleted lists every live environment of each name asked for, none when there is
  none), everything else by its exact arguments;
- `refresh_environments` always asks EB (the poller's ticks: detection lag is measured on
  them) and keeps the answer for the steps that read right after.
Events are never kept: the poller streams them with a cursor. A lifecycle hook's command
may change EB behind this object's back: `ForgettingHookRunner` forgets after each.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from copy import copy
from datetime import datetime
from typing import Any, TypeVar

from engine.domain.ports.cloud import (
    ApplicationVersion,
    Beanstalk,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
    Instance,
    ManagedAction,
    OptionKey,
)
from engine.domain.ports.hooks import HookResult, HookRunner

T = TypeVar("T")
# How long a read's answer is reused, in AWS-seconds (scaled with the simulator's speed).
FRESH_SECONDS = 2.0


class FreshReads:
    """Wraps a Beanstalk; thread-safe (the poller and every drive of a process share it)."""

    def __init__(self, inner: Beanstalk, monotonic: Callable[[], float], max_age: float) -> None:
        self.inner = inner
        self._monotonic = monotonic
        self._max_age = max_age
        self._lock = threading.Lock()
        self._generation = 0  # bumped around every change
        self._changing = 0  # mutating calls under way
        self._envs: dict[str, tuple[float, Environment]] = {}  # by id, IncludeDeleted answers
        # (application, name) -> the live environments of that name, from answers by name
        self._named: dict[tuple[str | None, str], tuple[float, list[Environment]]] = {}
        self._answers: dict[Hashable, tuple[float, Any]] = {}  # by the call's exact arguments
        self.reused = 0  # reads answered again (for the benchmarks and tests)

    @property
    def api_calls(self) -> Counter[str]:
        """The calls the wrapped port made, when it counts them (the metrics read these)."""
        calls = getattr(self.inner, "api_calls", None)
        return calls if isinstance(calls, Counter) else Counter()

    # -- what the poller uses --------------------------------------------------------------

    def recent_environments(self, ids: Sequence[str]) -> dict[str, Environment] | None:
        """Every one of `ids` as a fresh answer said, or None when one is not known fresh."""
        now = self._monotonic()
        with self._lock:
            found: dict[str, Environment] = {}
            for env_id in ids:
                entry = self._envs.get(env_id)
                if entry is None or now - entry[0] > self._max_age:
                    return None
                found[env_id] = entry[1]
            self.reused += 1
            return found

    def refresh_environments(self, ids: Sequence[str]) -> list[Environment]:
        """DescribeEnvironments (IncludeDeleted) for `ids`, always asked, its answer kept."""
        start, generation = self._begin()
        found = self.inner.describe_environments(ids=ids, include_deleted=True)
        self._keep_environments(start, generation, found)
        return found

    # -- reads -----------------------------------------------------------------------------

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        if ids and not names and include_deleted:
            known = self.recent_environments(ids)
            if known is not None and all(
                application is None or env.application == application for env in known.values()
            ):
                return list(known.values())
            start, generation = self._begin()
            found = self.inner.describe_environments(application, names, ids, include_deleted)
            self._keep_environments(start, generation, found)
            return found
        if names and not ids and not include_deleted:
            return self._describe_named(application, names)
        key = ("DescribeEnvironments", application, tuple(names), tuple(ids), include_deleted)
        return list(self._read(key, lambda: self.inner.describe_environments(
            application, names, ids, include_deleted
        )))  # fmt: skip

    def _describe_named(self, application: str | None, names: Sequence[str]) -> list[Environment]:
        now = self._monotonic()
        with self._lock:
            entries = [self._named.get((application, name)) for name in dict.fromkeys(names)]
            if all(e is not None and now - e[0] <= self._max_age for e in entries):
                self.reused += 1
                return [env for e in entries if e is not None for env in e[1]]
            generation = self._generation
        found = self.inner.describe_environments(application, names)
        with self._lock:
            if self._keepable(generation):
                for name in names:
                    self._named[(application, name)] = (now, [e for e in found if e.name == name])
        return found

    def caller_identity(self) -> str:
        return self.inner.caller_identity()

    def application_exists(self, application: str) -> bool:
        return self._read(
            ("DescribeApplications", application),
            lambda: self.inner.application_exists(application),
        )

    def environment_tags(self, environment_arn: str) -> dict[str, str]:
        return dict(self._read(
            ("ListTagsForResource", environment_arn),
            lambda: self.inner.environment_tags(environment_arn),
        ))  # fmt: skip

    def get_version(self, application: str, label: str) -> ApplicationVersion | None:
        # A version's status moves on its own (PROCESSING -> PROCESSED): always asked.
        return self.inner.get_version(application, label)

    def template_exists(self, application: str, template_name: str) -> bool:
        return self._read(
            ("TemplateExists", application, template_name),
            lambda: self.inner.template_exists(application, template_name),
        )

    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        return self.inner.events(application, since, environment_names)

    def instances(self, environment_id: str) -> list[Instance]:
        return list(self._read(
            ("DescribeInstancesHealth", environment_id),
            lambda: self.inner.instances(environment_id),
        ))  # fmt: skip

    def option_settings(
        self,
        application: str,
        environment_name: str | None = None,
        template_name: str | None = None,
    ) -> dict[OptionKey, str]:
        return dict(self._read(
            ("DescribeConfigurationSettings", application, environment_name, template_name),
            lambda: self.inner.option_settings(application, environment_name, template_name),
        ))  # fmt: skip

    def option_value(
        self, application: str, environment_name: str, namespace: str, option: str
    ) -> str | None:
        return self.inner.option_value(application, environment_name, namespace, option)

    def managed_actions(self, environment_id: str) -> list[ManagedAction]:
        return list(self._read(
            ("DescribeEnvironmentManagedActions", environment_id),
            lambda: self.inner.managed_actions(environment_id),
        ))  # fmt: skip

    # -- changes: each forgets every kept answer -------------------------------------------

    def create_version(
        self, application: str, label: str, bucket: str, key: str, description: str
    ) -> ApplicationVersion:
        return self._change(
            lambda: self.inner.create_version(application, label, bucket, key, description)
        )

    def create_template(
        self, application: str, template_name: str, environment_id: str, description: str
    ) -> None:
        self._change(lambda: self.inner.create_template(
            application, template_name, environment_id, description
        ))  # fmt: skip

    def delete_template(self, application: str, template_name: str) -> None:
        self._change(lambda: self.inner.delete_template(application, template_name))

    def create_environment(self, request: CreateEnvironmentRequest) -> Environment:
        return self._change(lambda: self.inner.create_environment(request))

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self._change(lambda: self.inner.deploy_version(environment_id, version_label))

    def deploy_traffic_split(
        self, environment_id: str, version_label: str, percent: int, minutes: int
    ) -> None:
        self._change(lambda: self.inner.deploy_traffic_split(
            environment_id, version_label, percent, minutes
        ))  # fmt: skip

    def swap_cnames(self, source_environment_id: str, destination_environment_id: str) -> None:
        self._change(
            lambda: self.inner.swap_cnames(source_environment_id, destination_environment_id)
        )

    def terminate_environment(self, environment_id: str) -> None:
        self._change(lambda: self.inner.terminate_environment(environment_id))

    def abort_update(self, environment_id: str) -> None:
        self._change(lambda: self.inner.abort_update(environment_id))

    def update_options(self, environment_id: str, settings: Mapping[OptionKey, str]) -> None:
        self._change(lambda: self.inner.update_options(environment_id, settings))

    def forget(self) -> None:
        """Drop every kept answer (a change made elsewhere, e.g. by a lifecycle hook)."""
        with self._lock:
            self._generation += 1
            self._envs.clear()
            self._named.clear()
            self._answers.clear()

    # -- the rules -------------------------------------------------------------------------

    def _begin(self) -> tuple[float, int]:
        with self._lock:
            return self._monotonic(), self._generation

    def _keepable(self, generation: int) -> bool:
        return generation == self._generation and self._changing == 0

    def _keep_environments(self, start: float, generation: int, found: list[Environment]) -> None:
        with self._lock:
            if self._keepable(generation):
                for env in found:
                    self._envs[env.id] = (start, env)

    def _read(self, key: Hashable, call: Callable[[], T]) -> T:
        now = self._monotonic()
        with self._lock:
            entry = self._answers.get(key)
            if entry is not None and now - entry[0] <= self._max_age:
                self.reused += 1
                return copy(entry[1])  # type: ignore[no-any-return]
            generation = self._generation
        answer = call()
        with self._lock:
            if self._keepable(generation):
                self._answers[key] = (now, copy(answer))
        return answer

    def _change(self, call: Callable[[], T]) -> T:
        with self._lock:
            self._changing += 1
            self._generation += 1
            self._envs.clear()
            self._named.clear()
            self._answers.clear()
        try:
            return call()
        finally:
            with self._lock:
                self._changing -= 1
                self._generation += 1
                self._envs.clear()
                self._named.clear()
                self._answers.clear()


class ForgettingHookRunner:
    """A HookRunner after whose every command `reads` forgets what it kept: an operator's hook
    may change EB itself (`aws elasticbeanstalk update-environment`, `eb setenv`)."""

    def __init__(self, inner: HookRunner, reads: FreshReads) -> None:
        self._inner = inner
        self._reads = reads

    def run(
        self,
        argv: Sequence[str],
        environment: Mapping[str, str],
        timeout_seconds: float,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> HookResult:
        try:
            return self._inner.run(argv, environment, timeout_seconds, should_stop)
        finally:
            self._reads.forget()
