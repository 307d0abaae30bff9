"""Hand-written fakes of the ports (cloud, clock, journal, waiter) for unit tests; no I/O.

Each implements the real Protocol (mypy checks the `_: Protocol = Fake(...)` lines in world.py).

- FakeClock: `sleep` advances time instantly; `now()` is UTC, `monotonic()` seconds.
- FakeBeanstalk: an in-memory EB that checks preconditions like AWS (a mutation of an
  environment that is not Ready raises ConflictError, unknown things NotFoundError).
  Operations take simulated time (`durations`, seconds on the FakeClock; optionally also
  complete after `complete_after_describes` DescribeEnvironments calls): launch/update/swap/
  terminate show Launching/Updating/Terminating until done; a swap moves the CNAMEs when it
  completes; a deployment keeps the old label until it completes. Knobs: `fail_launch`
  (Ready + Red), `fail_deploy` (back to Ready on the old version, Red until `recover`),
  `red_versions` (deploys fine, then Red), `fail_terminate_times` (back to Ready),
  `stuck` (operation kinds that never finish), `failed_processing` (version labels),
  `fail_next(method, error)` (raise before the call takes effect), `crash_after` (method
  names: the call takes effect, then `Crash` is raised as if the process died), `lose_response`
  (method names: the call takes effect, then ServiceError, as if the response were lost),
  `at(seconds, action)` (run `action` later on the FakeClock). `calls`
  counts calls per method name. Seeding: `add_application`, `add_version`, `add_environment`.
- FakeArtifactStore: buckets and objects in memory (`add_bucket`); `calls` per method;
  `crash_after={"upload"}` stores the object, then raises Crash.
- FakeHealthProbe: scripted answers per URL (`script(url, 200, 500, None)`: None is a refused
  connection, the last answer repeats); unscripted URLs are routed like the CNAME router:
  the environment holding the host answers `version_answers.get(its version, 200)`.
- RecordingJournal: facts applied to `run.facts` at once, events in `events`;
  `crash_after_facts=N` raises Crash after the N-th record_facts from then on.
- FakeWaiter: polls FakeBeanstalk synchronously every `interval` seconds of FakeClock until the
  condition holds, raising DeadlineExceeded past the deadline; `waits` lists what it waited for.
- FakeAlarms: CloudWatch alarm states (`put(name, "ALARM", reason)`); `unreadable` fails reads.
- FakeDns / FakeParameterStore: Route 53 zones and SSM parameters in memory (tests/fakes/dns.py).
- FakeTerminal (tests/fakes/terminal.py): a stream keeping the screen an xterm would show
  (auto-wrap, cursor up, erase in line, cursor shown/hidden); `echo` plays the tty's echo.
- FakeWorld: all of the above wired together; `seed_release()` makes a target and a Run,
  `context(run)` a StepContext (one RecordingJournal per run, kept across re-runs).
"""

from __future__ import annotations

from tests.fakes.alarms import FakeAlarms
from tests.fakes.artifacts import FakeArtifactStore
from tests.fakes.beanstalk import FakeBeanstalk
from tests.fakes.clock import FakeClock
from tests.fakes.crash import Crash
from tests.fakes.environment import ACCOUNT, REGION, FakeDurations, FakeEnvironment
from tests.fakes.journal import RecordingJournal
from tests.fakes.probe import FakeHealthProbe
from tests.fakes.waiter import FakeWaiter
from tests.fakes.world import FakeWorld, make_run

__all__ = [
    "ACCOUNT",
    "REGION",
    "Crash",
    "FakeAlarms",
    "FakeArtifactStore",
    "FakeBeanstalk",
    "FakeClock",
    "FakeDurations",
    "FakeEnvironment",
    "FakeHealthProbe",
    "FakeWaiter",
    "FakeWorld",
    "RecordingJournal",
    "make_run",
]
