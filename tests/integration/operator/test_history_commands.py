"""`bluegreen runs list/show/export/report/prune` and `bluegreen status` on a real SQLite
history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.operator.runs_commands import runs_group
from engine.operator.views.document import iso
from tests.integration.operator.conftest import Releases


def ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


def test_runs_list_shows_every_run_newest_first(releases: Releases) -> None:
    listed = ids(releases.cli("list", "--json"))
    assert listed == [
        releases.running.run.id,
        releases.abandoned.run.id,
        releases.rolled_back.run.id,
        releases.succeeded.run.id,
        releases.other_app.run.id,
        releases.waiting.run.id,
        releases.old.run.id,
        releases.old_failed.run.id,
    ]


def test_runs_list_json_rows_have_the_promised_fields(releases: Releases) -> None:
    rows = json.loads(releases.cli("list", "--json", "--app", "shop").stdout)
    row = next(r for r in rows if r["id"] == releases.rolled_back.run.id)
    assert row == {
        "id": releases.rolled_back.run.id,
        "app": "shop",
        "blue": "shop-blue",
        "green": "shop-blue-green",
        "region": "us-east-1",
        "mode": "full",
        "strategy": "swap-back",
        "version_label": "v2",
        "previous_version_label": "v1",
        "state": "rolled_back",
        "created_at": row["created_at"],
        "finished_at": row["finished_at"],
        "duration_seconds": pytest.approx(506.0),
        "error": "health check failed: GET /health answered 500 (expected 200)",
        "batch": None,
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--app", "blog"), ["other_app", "waiting"]),
        (("--blue", "shop-api"), ["abandoned"]),
        (("--state", "succeeded", "--state", "awaiting_cutover"),
         ["succeeded", "other_app", "waiting", "old"]),
        (("--since", "36h"), ["running", "abandoned", "rolled_back"]),
        (("--limit", "2"), ["running", "abandoned"]),
        (("--app", "shop", "--state", "rolled_back"), ["rolled_back"]),
    ],
)  # fmt: skip
def test_runs_list_filters(releases: Releases, args, expected) -> None:
    listed = ids(releases.cli("list", "--json", *args))
    assert listed == [getattr(releases, name).run.id for name in expected]


def test_runs_list_since_accepts_an_iso_date(releases: Releases) -> None:
    day = (releases.rolled_back.run.created_at).date().isoformat()
    assert releases.rolled_back.run.id in ids(releases.cli("list", "--json", "--since", day))


def test_runs_list_refuses_a_since_it_cannot_read_with_one_line(releases: Releases) -> None:
    result = releases.cli("list", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "use an ISO date/time" in result.output


def test_runs_list_as_a_table_names_runs_and_their_states(releases: Releases) -> None:
    result = releases.cli("list", "--app", "shop")
    assert result.exit_code == 0, result.output
    assert releases.rolled_back.run.id in result.output
    assert "rolled_back" in result.output and "v1 -> v2" in result.output


def test_runs_show_json_has_inputs_facts_steps_transitions_and_events(releases: Releases) -> None:
    history = releases.rolled_back
    result = releases.cli("show", history.run.id, "--json")
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["facts"]["blue_env_id"] == "e-blue12345"
    assert detail["facts"]["template_name"] == f"bluegreen-{history.run.id}"
    assert detail["inputs"]["version_label"] == "v2"
    assert [t["to"] for t in detail["transitions"]] == [
        t.to_state.value for t in history.transitions
    ]
    assert [e["message"] for e in detail["events"]] == [e.message for e in history.events]
    steps = detail["steps"]
    assert [s["state"] for s in steps][-2:] == ["verifying", "rolling_back"]
    assert sum(s["duration_seconds"] for s in steps) == pytest.approx(detail["duration_seconds"])
    assert detail["rollback"]["reason"].startswith("health check failed")


def test_runs_show_accepts_a_unique_prefix_of_the_id(releases: Releases) -> None:
    result = releases.cli("show", "f00dfeed", "--json")
    assert json.loads(result.stdout)["id"] == releases.rolled_back.run.id


def test_runs_show_of_an_unfinished_run_counts_up_to_its_last_transition(
    releases: Releases,
) -> None:
    detail = json.loads(releases.cli("show", releases.running.run.id, "--json").stdout)
    assert detail["steps"][-1] == {**detail["steps"][-1], "state": "verifying", "ended_at": None}
    closed = sum(s["duration_seconds"] or 0 for s in detail["steps"])
    assert closed == pytest.approx(detail["duration_seconds"])


def test_runs_show_table_tells_the_story_of_a_rolled_back_run(releases: Releases) -> None:
    result = releases.cli("show", releases.rolled_back.run.id)
    assert result.exit_code == 0, result.output
    for text in (
        "Inputs",
        "Facts",
        "Timeline",
        "Events",
        "e-green6789",
        "cloning",
        "rolling_back",
        "Completed swapping CNAMEs",
        "(FAILED)",
        "Error:",
        "Rollback:",
        "What the rollback did",
        "rollback: terminating shop-blue-green",
        "8m26s",
    ):
        assert text in result.output, text  # fmt: skip


def test_runs_show_of_an_unknown_run_is_a_one_line_error(releases: Releases) -> None:
    result = releases.cli("show", "nosuchrun")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == "Error: no run 'nosuchrun'"


def test_a_database_url_that_is_no_url_is_a_one_line_error() -> None:
    result = CliRunner().invoke(runs_group, ["list", "--database-url", "no url at all"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: the database URL is not a SQLAlchemy URL")
    assert len(result.output.strip().splitlines()) == 1


def test_runs_export_is_the_show_json_document(releases: Releases) -> None:
    run_id = releases.succeeded.run.id
    exported = json.loads(releases.cli("export", run_id).stdout)
    assert exported == json.loads(releases.cli("show", run_id, "--json").stdout)


def test_runs_report_to_a_missing_directory_is_a_one_line_error(
    releases: Releases, tmp_path: Path
) -> None:
    output = tmp_path / "no-such-directory" / "report.html"
    result = releases.cli("report", releases.succeeded.run.id, "--output", str(output))
    assert result.exit_code == 2
    error = f"Error: cannot write {output}: No such file or directory"
    assert result.stderr.strip().splitlines()[-1] == error
    assert not output.parent.exists()


def test_status_lists_only_unfinished_runs_with_what_they_wait_for(releases: Releases) -> None:
    result = releases.cli("status", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {
        releases.running.run.id,
        releases.abandoned.run.id,
        releases.waiting.run.id,
        releases.old_failed.run.id,
    }
    running = rows[releases.running.run.id]
    assert running["lease"]["status"] == "live"
    assert running["held_by"].startswith("runner-b@host2:99")
    abandoned = rows[releases.abandoned.run.id]
    assert abandoned["lease"] == {**abandoned["lease"], "status": "expired"}
    assert f"bluegreen resume {releases.abandoned.run.id}" in abandoned["held_by"]
    assert "bluegreen cutover" in rows[releases.waiting.run.id]["waits_for"]
    assert "bluegreen resume" in rows[releases.old_failed.run.id]["waits_for"]


def test_status_table_names_the_holders(releases: Releases) -> None:
    result = releases.cli("status")
    assert result.exit_code == 0, result.output
    for text in ("runner-b@host2:99", "runner-c@host3:7", "expired", "awaiting_cutover"):
        assert text in result.output


def test_workers_and_status_show_the_queue_a_worker_would_take(releases: Releases) -> None:
    pool = json.loads(releases.cli("workers", "--json").stdout)
    assert pool == {"workers": [], "queue": [
        {"id": releases.abandoned.run.id, "target": releases.abandoned.run.target.key,
         "state": "verifying", "created_at": iso(releases.abandoned.run.created_at)},
    ]}  # fmt: skip
    table = releases.cli("status").output
    assert f"queue: 1 run(s) waiting for a worker: {releases.abandoned.run.id}" in table


def test_prune_deletes_old_finished_runs_and_keeps_unfinished_ones(releases: Releases) -> None:
    result = releases.cli("prune", "--older-than", "30")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("deleted 1 run finished before ")
    remaining = ids(releases.cli("list", "--json"))
    assert releases.old.run.id not in remaining
    assert releases.old_failed.run.id in remaining  # failed is unfinished: resume may retry it
    assert len(remaining) == 7
    shown = releases.cli("show", releases.old.run.id)
    assert shown.exit_code == 2


def test_prune_older_than_a_century_is_refused_and_a_century_deletes_nothing(
    releases: Releases,
) -> None:
    for age in ("1e7", "36501", "inf", "nan"):
        refused = releases.cli("prune", "--older-than", age)
        assert refused.exit_code == 2, refused.output
    result = releases.cli("prune", "--older-than", "36500")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("deleted 0 runs finished before ")
    assert len(ids(releases.cli("list", "--json"))) == 8


def test_prune_refuses_a_negative_age(releases: Releases) -> None:
    result = releases.cli("prune", "--older-than", "-1")
    assert result.exit_code == 2
    assert len(ids(releases.cli("list", "--json"))) == 8


def test_no_credential_from_the_environment_reaches_the_history_output(
    releases: Releases,
) -> None:
    env = {"AWS_SECRET_ACCESS_KEY": releases.rolled_back.run.facts.blue_env_id or ""}
    for args in (("show", releases.rolled_back.run.id, "--json"), ("list", "--json")):
        result = releases.cli(*args, env=env)
        assert "e-blue12345" not in result.output
        json.loads(result.stdout)
