"""`deskhand runs copy --to postgresql://…`: this machine's SQLite run history into the empty PostgreSQL store a
fleet will share (runs/copy_store.py does the copy)."""

from __future__ import annotations

from contextlib import ExitStack, closing
from pathlib import Path

import typer

from deskhand.database import describe, is_postgres, open_database
from deskhand.errors import StoreCopyRefused
from deskhand.runs.copy_store import copy_store
from deskhand.runs.home import default_database_path


def copy_runs(
    to: str = typer.Option(
        ..., "--to", help="The store to copy into: an empty PostgreSQL database, postgresql://USER@HOST:5432/DB."
    ),
    source: Path = typer.Option(
        None, "--from", help="The SQLite store to copy (default: this machine's, $DESKHAND_HOME/runs.db)."
    ),
    approvals: Path = typer.Option(
        None,
        "--approvals",
        help="The approvals store to copy with it (default: approvals.db beside the run store, if there is one).",
    ),
) -> None:
    """Copy a SQLite run store (runs, batches, notices, intents, schedules, workers, the audit log) and its
    approvals store (answered requests) into an empty PostgreSQL one."""
    file = source or default_database_path()
    if not is_postgres(to):
        raise StoreCopyRefused(
            f"--to {to!r} is not a PostgreSQL address; the copy goes from a SQLite file into PostgreSQL.",
            hint="Give --to postgresql://USER@HOST:5432/DATABASE (an empty database, e.g. made with createdb).",
        )
    if is_postgres(str(file)) or not Path(file).is_file():
        raise StoreCopyRefused(
            f"There is no SQLite run store at {file} to copy.",
            hint="Give --from PATH/runs.db (a machine's store is $DESKHAND_HOME/runs.db, by default "
            "~/.local/share/deskhand/runs.db).",
        )
    approvals_file = approvals or Path(file).with_name("approvals.db")
    if approvals is not None and not approvals.is_file():
        raise StoreCopyRefused(
            f"There is no approvals store at {approvals} to copy.",
            hint="Give --approvals PATH/approvals.db (beside a machine's runs.db), or leave it out.",
        )
    with ExitStack() as opened:
        source_db = opened.enter_context(closing(open_database(Path(file))))
        approvals_db = (
            opened.enter_context(closing(open_database(approvals_file))) if approvals_file.is_file() else None
        )
        target_db = opened.enter_context(closing(open_database(to)))
        copied = copy_store(
            source_db,
            target_db,
            approvals=approvals_db,
            on_table=lambda table, rows: typer.echo(f"{table:>16}  {rows} rows"),
        )
    typer.echo(
        f"copied {copied['runs']} runs and {copied['batches']} batches from {file} to {describe(to)}; set "
        "DESKHAND_DB to that address on every machine of the fleet (report and screenshot files stay where they are)."
    )
    if approvals_db is None:
        typer.echo(f"no approvals store at {approvals_file}: no approval requests copied")
    elif copied["approvals_pending_left"]:
        typer.echo(
            f"{copied['approvals_pending_left']} approval request(s) still pending were left in {approvals_file}: "
            "their runs wait for an answer there (answer them with `deskhand approvals` on this machine)."
        )


def register(runs_app: typer.Typer) -> None:
    runs_app.command("copy")(copy_runs)
