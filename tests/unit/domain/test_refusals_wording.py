"""Refusals name who holds a run in words a reader can act on."""

from __future__ import annotations

from engine.domain.refusals import readable_owner


def test_a_runner_id_reads_as_the_process_and_host_it_names() -> None:
    assert readable_owner("ci-box:4242:1a2b3c:9f8e7d6c") == (
        "process 4242 on ci-box (runner ci-box:4242:1a2b3c:9f8e7d6c)"
    )
    assert readable_owner("someone-else") == "someone-else"
