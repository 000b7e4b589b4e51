"""`deskhand fix RUN_ID [--pick N] [--yes] [--rerun/--no-rerun]`: apply a failed run's suggestion."""

from __future__ import annotations

import subprocess
import sys

import typer

from deskhand.runner.fix import FixPlan, plan_fix
from deskhand.runs.store import RunStore


def _show(plan: FixPlan) -> None:
    chosen = plan.chosen
    where = "as a new step before" if chosen.get("mode") == "insert" else "in place of"
    typer.echo(f"Proposed, {where} step {plan.step}: {chosen['sentence']}")
    for reason in chosen.get("reasons") or []:
        typer.echo(f"  - {reason}")
    if chosen.get("irreversible"):
        typer.echo(f"  note: this step means {chosen['irreversible']!r}; the next run asks before it acts.")
    for number, other in enumerate(plan.others, start=2):
        typer.echo(f"  other ({number}, --pick {number}): {other['sentence']}")
    typer.echo("")
    typer.echo(plan.diff, nl=False)


def fix(
    run_id: str = typer.Argument(..., help="The id of a failed run (deskhand runs list)."),
    pick: int = typer.Option(1, "--pick", min=1, help="Which suggestion to apply (1 = the best)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Apply without asking (for scripts)."),
    rerun: bool | None = typer.Option(None, "--rerun/--no-rerun", help="Run the workflow again after fixing."),
) -> None:
    """Show the change a failed run suggests to its workflow file, apply it, and offer to run it again.

    Exit 0: applied (or nothing to do after --no-rerun); 1: declined; 2 and a message: nothing to fix.
    """
    with RunStore() as store:
        plan = plan_fix(store.get_run(run_id), pick)
    _show(plan)
    if not yes and not typer.confirm("Apply this change?", default=False):
        typer.echo("Not applied; the file is unchanged.")
        raise typer.Exit(1)
    plan.apply()
    typer.echo(f"Applied to {plan.path}.")
    again = rerun if rerun is not None else (not yes and typer.confirm("Run the workflow again now?", default=True))
    if not again:
        typer.echo(f"Run it again with: deskhand run {plan.path}")
        return
    done = subprocess.run([sys.executable, "-m", "deskhand", "run", str(plan.path)], check=False)
    raise typer.Exit(done.returncode)


def register(app: typer.Typer) -> None:
    app.command("fix")(fix)
