"""`deskhand heals list | accept HEAL_ID | reject HEAL_ID`: review steps that were healed during runs."""

from __future__ import annotations

import json

import typer

from deskhand.runner.review import accept, find_heal, pending_heals, reject
from deskhand.runs.store import RunStore

group = typer.Typer(help="Review healed steps: accept one into the workflow text, or reject it.", no_args_is_help=True)


@group.command("list")
def list_heals(
    limit: int = typer.Option(200, "--limit", "-n", min=1, help="How many recent runs to look through."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """Heals waiting for review, newest first."""
    with RunStore() as store:
        heals = pending_heals(store, limit)
    if as_json:
        typer.echo(json.dumps([h.to_json() for h in heals], indent=2, ensure_ascii=False))
        return
    if not heals:
        typer.echo("No heals waiting for review.")
        return
    for heal in heals:
        status = heal.evidence.get("status", "")
        typer.echo(f"{heal.heal_id}  [{status}]  {heal.workflow_path} step {heal.step}")
        typer.echo(f"    was: {heal.sentence}")
        typer.echo(
            f"    now: {heal.proposal}" + ("  (new step before it)" if heal.evidence.get("mode") == "insert" else "")
        )
        for reason in heal.evidence.get("why") or []:
            typer.echo(f"      - {reason}")


@group.command("accept")
def accept_heal(heal_id: str = typer.Argument(..., help="A heal id from `deskhand heals list`.")) -> None:
    """Write the healed sentence into the workflow file."""
    with RunStore() as store:
        heal = find_heal(store, heal_id)
        accept(store, heal)
    typer.echo(f"Step {heal.step} of {heal.workflow_path} now reads: {heal.proposal}")


@group.command("reject")
def reject_heal(heal_id: str = typer.Argument(..., help="A heal id from `deskhand heals list`.")) -> None:
    """Keep the workflow text and forget the healed element (the next run stops at the step instead)."""
    with RunStore() as store:
        heal = find_heal(store, heal_id)
        reject(store, heal)
    typer.echo(f"Rejected; step {heal.step} is no longer replayed from the lock.")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="heals")
