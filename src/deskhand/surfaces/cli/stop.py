"""`deskhand stop [RUN]`: end a running run (or every run running now) before its next input event."""

from __future__ import annotations

import typer

from deskhand.app.session import stop_dir
from deskhand.app.stopping import stop_runs
from deskhand.runs.store import RunStore


def stop(
    run_id: str = typer.Argument(None, help="The run to stop (see `deskhand runs list`); default: every running run."),
) -> None:
    """Ask a run to stop: its guard sees the request before its next read or input event (within 0.1 s).

    With no run id, the runs running at this moment are stopped; a run that starts later is not."""
    with RunStore() as store:
        asked = stop_runs(store, stop_dir(), run_id)
    if run_id:
        typer.echo(f"asked run {run_id} to stop")
    else:
        typer.echo(f"asked {len(asked)} running run(s) to stop: {', '.join(asked)}" if asked else "no run is running")


def register(app: typer.Typer) -> None:
    app.command("stop")(stop)
