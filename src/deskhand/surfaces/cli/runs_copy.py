"""`deskhand runs copy --to postgresql://…`: this machine's SQLite run history into the empty PostgreSQL store a
fleet will share (runs/copy_store.py does the copy)."""

from __future__ import annotations

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
) -> None:
    """Copy a SQLite run store (runs, batches, notices, intents, schedules, workers) into an empty PostgreSQL one."""
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
    source_db = open_database(Path(file))
    try:
        target_db = open_database(to)
        try:
            copied = copy_store(
                source_db, target_db, on_table=lambda table, rows: typer.echo(f"{table:>16}  {rows} rows")
            )
        finally:
            target_db.close()
    finally:
        source_db.close()
    typer.echo(
        f"copied {copied['runs']} runs and {copied['batches']} batches from {file} to {describe(to)}; set "
        "DESKHAND_DB to that address on every machine of the fleet (report and screenshot files stay where they are)."
    )


def register(runs_app: typer.Typer) -> None:
    runs_app.command("copy")(copy_runs)
