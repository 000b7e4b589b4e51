"""`deskhand runs audit`: the fleet's one audit log, read from the run store every machine shares: what each
machine's runs did or were refused (runs/shared_audit.py). Each machine's own hash-chained file: `deskhand audit`."""

from __future__ import annotations

import json

import typer

from deskhand.runs.store import RunStore


def audit_runs(
    run_id: str = typer.Option(None, "--run", help="Only this run's actions."),
    refused: bool = typer.Option(False, "--refused", help="Only what the guard refused."),
    count: int = typer.Option(50, "-n", "--lines", min=1, help="How many of the newest entries."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON entry per line."),
) -> None:
    """Every machine's actions in the shared run store: when, which machine and run, what, allowed or refused."""
    with RunStore() as store:
        entries = store.audit_entries(run_id=run_id, refused_only=refused, limit=count)
        where = store.where
    if not entries and not as_json:
        typer.echo(
            f"No audited action in {where}. Runs of a PostgreSQL store (DESKHAND_DB) and of fleet workers write "
            "here; this machine's own log is `deskhand audit tail`."
        )
    for entry in entries:
        if as_json:
            typer.echo(json.dumps(entry.to_json(), ensure_ascii=False))
            continue
        step = "-" if entry.step is None else entry.step
        verdict = "allowed" if entry.allowed else "REFUSED"
        typer.echo(
            f"{entry.at[:19].replace('T', ' ')}  {entry.machine}  {entry.run_id}  step {step}  {verdict}  "
            f"{entry.action}  {json.dumps(entry.target, ensure_ascii=False)}"
            + (f"  value={entry.value!r}" if entry.value is not None else "")
        )


def register(runs_app: typer.Typer) -> None:
    runs_app.command("audit")(audit_runs)
