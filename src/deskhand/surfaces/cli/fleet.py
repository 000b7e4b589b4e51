"""`deskhand fleet stop | resume | status`: the kill switch of every machine sharing this run store (DESKHAND_DB),
as `deskhand stop` is this machine's (runs/fleet_stop.py); `deskhand fleet lock wf.md`: review what the workers
learned, sent back beside wf.lock (app/fleet/learned.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from deskhand.app.fleet.learned import accept_lock, lock_review, proposal_path, reject_lock
from deskhand.runs.store import RunStore


def stop(
    reason: str = typer.Option("", "--reason", help="Said to every run stopped and every row not run."),
) -> None:
    """Stop every run of the fleet before its next input event, and run no new row until `deskhand fleet resume`.

    Runs stopped end `stopped`; their rows stay as the store has them (an intent is checked with `verify:` when
    the batch goes on), so the same command, run again after the resume, finishes the batch."""
    with RunStore() as store:
        asked = store.stop_fleet(reason)
        running = len(store.running_run_ids())  # of every machine: the store records them all
        where = store.where
    typer.echo(
        f"{asked.describe()} Every run of {where} stops before its next input event ({running} running now); "
        "workers run no new row until `deskhand fleet resume`."
    )


def resume() -> None:
    """Lift the fleet's stop: new rows and runs may start (send the batches again with the same commands)."""
    with RunStore() as store:
        lifted = store.resume_fleet()
        where = store.where
    if not lifted:
        typer.echo(f"The fleet of {where} was not stopped.")
        return
    typer.echo(f"Lifted: {lifted[0].describe()} Run the same commands again to finish their batches.")


def status() -> None:
    """Whether the fleet's stop is in force."""
    with RunStore() as store:
        asked = store.fleet_stop()
        where = store.where
    typer.echo(asked.describe() if asked is not None else f"The fleet of {where} is not stopped.")


def lock(
    workflow: Path = typer.Argument(..., help="The workflow whose batch the workers ran (its wf.lock is beside it)."),
    accept: bool = typer.Option(False, "--accept", help="Write the proposal into wf.lock."),
    reject: bool = typer.Option(False, "--reject", help="Drop the proposal; wf.lock stays as it is."),
) -> None:
    """Show how the lock the workers sent back differs from wf.lock; --accept writes it, --reject drops it."""
    if reject:
        reject_lock(workflow)
        typer.echo(f"dropped {proposal_path(workflow)}")
        return
    shown = lock_review(workflow)
    if not shown:
        typer.echo(f"No lock proposed by the fleet beside {workflow} (the workers sent back nothing new).")
        return
    if accept:
        typer.echo(f"wrote {accept_lock(workflow)}")
        return
    typer.echo(shown, nl=False)
    typer.echo(f"accept with `deskhand fleet lock {workflow} --accept`, or drop it with --reject")


def register(app: typer.Typer) -> None:
    fleet_app = typer.Typer(
        name="fleet", help="The kill switch of every machine sharing the run store; what workers learned."
    )
    fleet_app.command("stop")(stop)
    fleet_app.command("resume")(resume)
    fleet_app.command("status")(status)
    fleet_app.command("lock")(lock)
    app.add_typer(fleet_app, name="fleet")
