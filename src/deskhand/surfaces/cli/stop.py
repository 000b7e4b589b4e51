"""`deskhand stop [RUN]`: end a running run (or every run running now) before its next input event."""

from __future__ import annotations

import typer

from deskhand.app.session import stop_dir
from deskhand.policy.killswitch import request_stop
from deskhand.runs.store import RunStore


def stop(
    run_id: str = typer.Argument(None, help="The run to stop (see `deskhand runs list`); default: every running run."),
) -> None:
    """Ask a run to stop: its guard sees the request before its next read or input event (within 0.1 s).

    With no run id, the runs running at this moment are stopped; a run that starts later is not."""
    if run_id:
        request_stop(stop_dir(), run_id)
        typer.echo(f"asked run {run_id} to stop")
        return
    with RunStore() as store:
        running = store.running_run_ids()
    for each in running:
        request_stop(stop_dir(), each)
    typer.echo(f"asked {len(running)} running run(s) to stop: {', '.join(running)}" if running else "no run is running")


def register(app: typer.Typer) -> None:
    app.command("stop")(stop)
