"""`deskhand stop [RUN]`: end a running run (or every run) before its next input event."""

from __future__ import annotations

import typer

from deskhand.app.session import stop_dir
from deskhand.policy.killswitch import request_stop


def stop(
    run_id: str = typer.Argument(None, help="The run to stop (see `deskhand runs list`); default: every run."),
) -> None:
    """Ask a run to stop: its guard sees the request before its next read or input event (within 0.1 s)."""
    request_stop(stop_dir(), run_id)
    typer.echo(f"asked {'run ' + run_id if run_id else 'every running run'} to stop")


def register(app: typer.Typer) -> None:
    app.command("stop")(stop)
