"""`bluegreen ci-step` run the way GitHub runs an action's step (INPUT_*, GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY), the way the GitLab component and the Bitbucket pipe run it, against
the simulator; and the action, component and pipe definitions agree with the entry point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine.operator.pipeline.inputs import INPUT_VARIABLES
from engine.operator.pipeline.outputs import OUTPUT_NAMES
from simulator.seed import ReleaseTarget
from tests.e2e.cli import APP, BLUE, GREEN, Cli

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
COMPONENT_SPEC, COMPONENT_JOBS = yaml.safe_load_all((REPO / "templates/bluegreen.yml").read_text())
PIPE = yaml.safe_load((REPO / "pipelines/bitbucket/pipe.yml").read_text())


def github_outputs(path: Path) -> dict[str, str]:
    """GitHub's `name<<DELIMITER` ... `DELIMITER` blocks."""
    found = re.findall(r"^([\w-]+)<<(\S+)\n(.*?)\n\2$", path.read_text(), re.M | re.S)
    return {name: value for name, _, value in found}


def github_env(tmp_path: Path, **inputs: str) -> dict[str, str]:
    (tmp_path / "output").touch()
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        **{f"INPUT_{name.upper().replace('-', '_')}": value for name, value in inputs.items()},
    }


@pytest.mark.slow
def test_a_github_step_writes_every_output_the_summary_and_the_report(
    cli: Cli, target: ReleaseTarget, tmp_path: Path
) -> None:
    env = github_env(tmp_path, app=APP, blue=BLUE, green=GREEN, **{"version-label": "v2"},
                     **{"report-path": str(tmp_path / "report.html")})  # fmt: skip
    done = cli.run("ci-step", **env)
    assert done.exit_code == 0, done
    outputs = github_outputs(tmp_path / "output")
    assert set(outputs) == set(OUTPUT_NAMES) == set(ACTION["outputs"])
    assert outputs["run-id"] == done.run_id
    assert outputs["outcome"] == "succeeded" and outputs["exit-code"] == "0"
    assert outputs["live-url"] == f"http://{target.cname}"
    assert (outputs["version-label"], outputs["previous-version-label"]) == ("v2", "v1")
    assert outputs["report-path"] == str(tmp_path / "report.html")
    assert "<svg" in (tmp_path / "report.html").read_text()
    summary = (tmp_path / "summary.md").read_text()
    assert f"Run `{done.run_id}`" in summary and "**succeeded**" in summary
    steps = re.findall(r"^\| (\w+) \| \+[\d.]+ \| ", summary, re.M)
    assert steps[:3] == ["preflight", "cloning", "swapping"] and "cleaning_up" in steps


@pytest.mark.slow
def test_a_rolled_back_release_exits_1_and_says_so_in_its_outputs(
    cli: Cli, target: ReleaseTarget, tmp_path: Path
) -> None:
    env = github_env(tmp_path, app=APP, blue=BLUE, green=GREEN, **{"version-label": "broken"},
                     **{"report-path": str(tmp_path / "r.html")})  # fmt: skip
    done = cli.run("ci-step", **env)
    assert done.exit_code == 1, done
    outputs = github_outputs(tmp_path / "output")
    assert (outputs["outcome"], outputs["exit-code"]) == ("rolled_back", "1")
    assert "**Error:**" in (tmp_path / "summary.md").read_text()


def test_bad_input_exits_2_with_outputs_and_no_run(cli: Cli, tmp_path: Path) -> None:
    done = cli.run("ci-step", **github_env(tmp_path, app=APP, green=GREEN))
    assert done.exit_code == 2, done
    outputs = github_outputs(tmp_path / "output")
    assert (outputs["outcome"], outputs["exit-code"], outputs["run-id"]) == ("invalid", "2", "")
    assert "BLUE_ENV_NAME" in (tmp_path / "summary.md").read_text()
    assert cli.history_is_empty()


@pytest.mark.slow
def test_the_replaced_tools_variables_work_with_no_inputs(
    cli: Cli, target: ReleaseTarget, tmp_path: Path
) -> None:
    env = {**cli.replaced_tool_env("v2"), "BLUEGREEN_OUTPUTS_FILE": str(tmp_path / "out.env"),
           "BLUEGREEN_SUMMARY_FILE": str(tmp_path / "s.md"),
           "BLUEGREEN_REPORT_PATH": str(tmp_path / "r.html")}  # fmt: skip
    done = cli.run("ci-step", **env)
    assert done.exit_code == 0, done
    dotenv = dict(line.split("=", 1) for line in (tmp_path / "out.env").read_text().split())
    assert dotenv["BLUEGREEN_OUTCOME"] == "succeeded"
    assert dotenv["BLUEGREEN_RUN_ID"] == done.run_id


@pytest.mark.slow
def test_the_gitlab_components_variables_reach_the_command(
    cli: Cli, target: ReleaseTarget, tmp_path: Path
) -> None:
    """The job as GitLab expands it for these inputs (defaults for the rest)."""
    given = {"app": APP, "blue": BLUE, "green": GREEN, "version-label": "v2",
             "report-path": str(tmp_path / "r.html")}  # fmt: skip
    specs = COMPONENT_SPEC["spec"]["inputs"]
    inputs = {name: spec.get("default", "") for name, spec in specs.items()} | given
    [(_, job)] = COMPONENT_JOBS.items()

    def expand(text: str) -> str:
        return re.sub(r"\$\[\[ inputs\.([\w-]+) \]\]", lambda m: inputs[m[1]], text)

    variables = {name: expand(str(value)) for name, value in job["variables"].items()}
    variables["BLUEGREEN_OUTPUTS_FILE"] = str(tmp_path / variables["BLUEGREEN_OUTPUTS_FILE"])
    variables["BLUEGREEN_SUMMARY_FILE"] = str(tmp_path / variables["BLUEGREEN_SUMMARY_FILE"])
    assert job["script"] == ["bluegreen ci-step"]
    done = cli.run("ci-step", **variables)
    assert done.exit_code == 0, done
    assert "BLUEGREEN_LIVE_URL=http://" in (tmp_path / "bluegreen.env").read_text()


@pytest.mark.slow
def test_the_bitbucket_pipes_variables_reach_the_command(
    cli: Cli, target: ReleaseTarget, tmp_path: Path
) -> None:
    """The replaced tool's variables, as a pipe step passes them (the rest left unset)."""
    names = {variable["name"] for variable in PIPE["variables"]}
    given = {**cli.replaced_tool_env("v2"), "BLUEGREEN_REPORT_PATH": str(tmp_path / "r.html")}
    assert set(given) <= names
    env = {**given, "BLUEGREEN_OUTPUTS_FILE": str(tmp_path / "b.env"),
           "BLUEGREEN_SUMMARY_FILE": str(tmp_path / "b.md")}  # fmt: skip
    done = cli.run("ci-step", **env)
    assert done.exit_code == 0, done
    assert "BLUEGREEN_OUTCOME=succeeded" in (tmp_path / "b.env").read_text()


def test_every_action_input_reaches_the_entry_point_as_an_input_variable() -> None:
    [_, release] = ACTION["runs"]["steps"]
    passed = release["env"]
    for name in ACTION["inputs"]:
        if name == "package":  # the install step's, not the release's
            continue
        assert passed[f"INPUT_{name.upper().replace('-', '_')}"] == f"${{{{ inputs.{name} }}}}"
        assert name in INPUT_VARIABLES
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.release.outputs.{name} }}}}"


@pytest.mark.parametrize("name", sorted(INPUT_VARIABLES))
def test_the_component_and_the_action_take_the_same_inputs(name: str) -> None:
    gitlab_only_missing = {"auth-method", "sso-profile"}  # GitLab: the job's own variables
    assert name in ACTION["inputs"]
    if name not in gitlab_only_missing:
        assert name in COMPONENT_SPEC["spec"]["inputs"]
