from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from deskhand.errors import DeskhandError
from deskhand.runner.run import RunOutcome, StepOutcome
from deskhand.runs.audit import AuditLog
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli import audit as audit_cli
from deskhand.surfaces.cli import runs as runs_cli


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """deskhand"""

    runs_cli.register(app)
    audit_cli.register(app)
    return app


@pytest.fixture
def run_id(home: Path) -> str:
    with RunStore() as store:
        run_id = store.start_run("flow.md", "Greet [bold]", {"name": "Ada"})
        store.start_step(run_id, 1, "Open Mousepad")
        store.finish_step(run_id, 1, "succeeded", 42)
        store.finish_run(run_id, "succeeded")
    return run_id


def test_runs_list_as_json_and_as_a_table(app: typer.Typer, run_id: str) -> None:
    result = CliRunner().invoke(app, ["runs", "list", "--json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.stdout)
    assert [run["run_id"] for run in runs] == [run_id]
    assert runs[0]["steps"][0]["sentence"] == "Open Mousepad"

    table = CliRunner().invoke(app, ["runs", "list", "--limit", "5"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert run_id in table.stdout and "succeeded" in table.stdout and "Greet [bold]" in table.stdout


def test_runs_show_and_report(app: typer.Typer, run_id: str, home: Path) -> None:
    shown = CliRunner().invoke(app, ["runs", "show", run_id, "--json"])
    assert json.loads(shown.stdout)["status"] == "succeeded"
    human = CliRunner().invoke(app, ["runs", "show", run_id])
    assert "Open Mousepad" in human.stdout and "42 ms" in human.stdout

    reported = CliRunner().invoke(app, ["runs", "report", run_id])
    assert reported.exit_code == 0
    path = Path(reported.stdout.strip())
    assert path == home / "runs" / run_id / "report.html"
    assert "Open Mousepad" in path.read_text()


@pytest.mark.parametrize("command", ["show", "report"])
def test_an_unknown_run_id_is_a_clear_error(app: typer.Typer, home: Path, command: str) -> None:
    result = CliRunner().invoke(app, ["runs", command, "r-19990101-000000-0000"])
    assert isinstance(result.exception, DeskhandError)
    assert "r-19990101-000000-0000" in result.exception.message
    assert "deskhand runs list" in result.exception.hint


def test_runs_list_when_there_are_none(app: typer.Typer, home: Path) -> None:
    result = CliRunner().invoke(app, ["runs", "list"])
    assert result.exit_code == 0 and "No runs yet" in result.stdout


def test_audit_verify_and_tail(app: typer.Typer, home: Path) -> None:
    log = AuditLog()
    for n in (1, 2, 3):
        log.append("r-1", n, "click", {"name": f"B{n}"}, None)
    ok = CliRunner().invoke(app, ["audit", "verify", "--json"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {"ok": True, "entries": 3, "first_bad": None}

    tail = CliRunner().invoke(app, ["audit", "tail", "-n", "2"])
    assert tail.exit_code == 0
    assert [line.split()[0] for line in tail.stdout.splitlines()] == ["2", "3"]

    lines = log.path.read_text().splitlines(keepends=True)
    log.path.write_text(lines[0] + lines[2])
    broken = CliRunner().invoke(app, ["audit", "verify", "--json"])
    assert broken.exit_code == 1
    assert json.loads(broken.stdout) == {"ok": False, "entries": 2, "first_bad": 2}
    human = CliRunner().invoke(app, ["audit", "verify"])
    assert human.exit_code == 1 and "broken at entry 2" in human.output


def test_a_stored_run_prints_the_same_object_as_the_run_itself(app: typer.Typer, run_id: str) -> None:
    # One shape on every surface (`run --json`, `runs list/show --json`, GET /api/runs): the contract.
    fresh = RunOutcome("r-1", "succeeded", [StepOutcome(1, "Open Mousepad", "succeeded", 42.0)], workflow="Greet")
    shown = json.loads(CliRunner().invoke(app, ["runs", "show", run_id, "--json"]).stdout)
    listed = json.loads(CliRunner().invoke(app, ["runs", "list", "--json"]).stdout)[0]
    assert list(shown) == list(listed) == list(fresh.to_json())
    assert list(shown["steps"][0]) == list(fresh.to_json()["steps"][0])
    assert shown["workflow"] == "Greet [bold]" and shown["started_at"] and shown["finished_at"]
    assert shown["steps"][0]["attempts"] == 1
