"""`deskhand runs list | show | report | copy | audit`: the run history, read from the run store (copy: runs_copy.py,
audit: runs_audit.py)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from deskhand.runner.outcome_of import outcome_of
from deskhand.runs.records import RunRecord
from deskhand.runs.report import format_ms, write_report
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli import runs_audit, runs_copy

_STATUS_STYLE = {
    "succeeded": "green",
    "failed": "red",
    "interrupted": "red",
    "blocked": "red",
    "running": "yellow",
    "stopped": "yellow",
    "skipped": "yellow",
}


def _styled(status: str) -> str:
    style = _STATUS_STYLE.get(status, "white")
    return f"[{style}]{status}[/{style}]"


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def list_runs(
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many runs, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of run objects."),
) -> None:
    """List recent runs, newest first."""
    with RunStore() as store:
        runs = store.list_runs(limit=limit)
        elsewhere = store.running_elsewhere()
    if as_json:
        _print_json([outcome_of(run).to_json() for run in runs])
        return
    if not runs:
        typer.echo("No runs yet. Start one with `deskhand run WORKFLOW.md`.")
        return
    table = Table("run", "status", "workflow", "started", "took", "steps", "tokens in/out")
    for run in runs:
        done = sum(step.status == "succeeded" for step in run.steps)
        table.add_row(
            run.run_id,
            _styled(run.status) + (f"\n{escape(elsewhere[run.run_id].describe())}" if run.run_id in elsewhere else ""),
            escape(run.workflow_name),
            run.started_at[:19].replace("T", " "),
            format_ms(run.ms),
            f"{done}/{len(run.steps)}",
            f"{run.input_tokens}/{run.output_tokens}",
        )
    Console().print(table)


def _print_run(run: RunRecord) -> None:
    console = Console(highlight=False)
    console.print(f"[bold]{escape(run.workflow_name)}[/bold]  {_styled(run.status)}  {run.run_id}")
    console.print(f"started {run.started_at}  took {format_ms(run.ms)}  kind {run.kind}", markup=False)
    if run.batch_id:
        console.print(f"batch {run.batch_id}, row {run.batch_row}", markup=False)
    console.print(
        f"model calls {len(run.model_calls)}  tokens {run.input_tokens} in / {run.output_tokens} out",
        markup=False,
    )
    for step in run.steps:
        healed = "  (healed)" if step.healed else ""
        console.print(f"  {step.n:>3}. [{step.status}] {step.sentence}  {format_ms(step.ms)}{healed}", markup=False)
        if step.reason:
            console.print(f"       {step.reason}", markup=False)
        for event in run.events:
            if event.step == step.n and event.kind == "read":
                console.print(f"       {event.data.get('name')} = {event.data.get('value')!r}", markup=False)
    if run.error:
        console.print(f"error at step {run.error.get('step')}: {run.error.get('message')}", markup=False)
        if run.error.get("suggestion"):
            console.print(f"  suggestion: {run.error.get('suggestion')}", markup=False)
    if run.report_path:
        console.print(f"report: {run.report_path}", markup=False)


def show_run(
    run_id: str = typer.Argument(..., help="A run id from `deskhand runs list`."),
    as_json: bool = typer.Option(False, "--json", help="Print the run as JSON."),
) -> None:
    """Show one run and its steps."""
    with RunStore() as store:
        run = store.get_run(run_id)
    if as_json:
        _print_json(outcome_of(run).to_json())
    else:
        _print_run(run)


def report_run(run_id: str = typer.Argument(..., help="A run id from `deskhand runs list`.")) -> None:
    """Write (or refresh) a run's self-contained HTML report and print its path."""
    with RunStore() as store:
        path = write_report(store, run_id)
    typer.echo(str(path))


def register(app: typer.Typer) -> None:
    runs_app = typer.Typer(name="runs", help="Look at past runs and their reports.", no_args_is_help=True)
    runs_app.command("list")(list_runs)
    runs_app.command("show")(show_run)
    runs_app.command("report")(report_run)
    runs_copy.register(runs_app)
    runs_audit.register(runs_app)
    app.add_typer(runs_app, name="runs")
