"""`deskhand audit verify | tail`: check and read the hash-chained audit log."""

from __future__ import annotations

import json

import typer

from deskhand.runs.audit import AuditLog


def verify(
    as_json: bool = typer.Option(False, "--json", help="Print {ok, entries, first_bad} as JSON."),
) -> None:
    """Check that no audit entry was edited, removed, inserted or reordered; exit 1 if one was."""
    log = AuditLog()
    report = log.verify()
    if as_json:
        typer.echo(json.dumps(report.to_json()))
    elif report.ok:
        typer.echo(f"audit log ok: {report.entries} entries in {log.path}")
    else:
        typer.echo(
            f"audit log broken at entry {report.first_bad} of {report.entries}: {report.reason} ({log.path})",
            err=True,
        )
    if not report.ok:
        raise typer.Exit(1)


def tail(
    count: int = typer.Option(20, "-n", "--lines", min=1, help="How many of the newest entries."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON entry per line."),
) -> None:
    """Print the newest audit entries."""
    for entry in AuditLog().tail(count):
        if as_json:
            typer.echo(json.dumps(entry, ensure_ascii=False))
            continue
        step = entry.get("step")
        target = json.dumps(entry.get("target"), ensure_ascii=False)
        value = entry.get("value")
        typer.echo(
            f"{entry.get('seq'):>5}  {entry.get('time')}  {entry.get('run_id')}"
            f"  step {step if step is not None else '-'}  {entry.get('action')}  {target}"
            + (f"  value={value!r}" if value is not None else "")
        )


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(name="audit", help="Check and read the audit log of actions.", no_args_is_help=True)
    audit_app.command("verify")(verify)
    audit_app.command("tail")(tail)
    app.add_typer(audit_app, name="audit")
