"""SubprocessHookRunner with real child processes: exit code, merged output's tail, the run's
variables added to the environment, no shell, and the whole process group killed at the time
limit or on a stop."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from cloud.hook_process import SubprocessHookRunner

PY = sys.executable


def test_exit_code_and_the_last_lines_of_stdout_and_stderr_together() -> None:
    code = "import sys\nfor n in range(50): print(n)\nprint('err', file=sys.stderr)\nsys.exit(4)"

    result = SubprocessHookRunner(tail_lines=3).run([PY, "-c", code], {}, 30)

    assert result.exit_code == 4 and not result.ok
    assert result.output_tail == ("48", "49", "err")
    assert not result.timed_out and result.duration_seconds < 30


def test_the_runs_variables_are_added_to_the_environment_and_no_shell_expands_words() -> None:
    code = (
        "import os, sys; "
        "print(os.environ['BLUEGREEN_RUN_ID'], os.environ['PATH'] != '', sys.argv[1])"
    )

    result = SubprocessHookRunner().run([PY, "-c", code, "$HOME;"], {"BLUEGREEN_RUN_ID": "r1"}, 30)

    assert result.ok and result.output_tail == ("r1 True $HOME;",)


def test_a_command_that_cannot_start_says_why() -> None:
    result = SubprocessHookRunner().run(["/nonexistent/hook"], {}, 30)

    assert result.exit_code is None and result.error is not None
    assert "cannot start '/nonexistent/hook'" in result.error


def test_the_time_limit_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "print('started', flush=True)\ntime.sleep(60)"
    )
    started = time.monotonic()

    result = SubprocessHookRunner(kill_grace=1).run([PY, "-c", code], {}, 1.0)

    assert result.timed_out and result.exit_code is None
    assert result.output_tail == ("started",)
    assert time.monotonic() - started < 10
    assert not _alive(int(pid_file.read_text())), "the grandchild went with its group"


def test_a_stop_request_kills_the_hook_and_says_so() -> None:
    asked = time.monotonic() + 0.5

    result = SubprocessHookRunner(kill_grace=1).run(
        [PY, "-c", "import time; time.sleep(60)"], {}, 60, lambda: time.monotonic() > asked
    )

    assert result.stopped and result.exit_code is None and not result.timed_out


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # A killed grandchild whose parent died is reaped by init: give it a moment.
        time.sleep(0.1)
    return True
