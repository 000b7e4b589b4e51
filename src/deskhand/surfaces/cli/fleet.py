"""`deskhand fleet stop | resume | status`: the kill switch of every machine sharing this run store (DESKHAND_DB),
as `deskhand stop` is this machine's (runs/fleet_stop.py)."""

from __future__ import annotations

import typer

from deskhand.runs.store import RunStore


def stop(
    reason: str = typer.Option("", "--reason", help="Said to every run stopped and every row not run."),
) -> None:
    """Stop every run of the fleet before its next input event, and run no new row until `deskhand fleet resume`.

    Runs stopped end `stopped`; their rows stay as the store has them (an intent is checked with `verify:` when
    the batch goes on), so the same command, run again after the resume, finishes the batch."""
    with RunStore() as store:
        asked = store.stop_fleet(reason)
        running = len(store.running_run_ids()) + len(store.running_elsewhere())
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


def register(app: typer.Typer) -> None:
    fleet_app = typer.Typer(name="fleet", help="The kill switch of every machine sharing the run store.")
    fleet_app.command("stop")(stop)
    fleet_app.command("resume")(resume)
    fleet_app.command("status")(status)
    app.add_typer(fleet_app, name="fleet")
