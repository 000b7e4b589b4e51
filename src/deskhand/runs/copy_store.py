"""Copying a run store into another (`deskhand runs copy --to postgresql://…`): a machine's SQLite history into
the PostgreSQL store a fleet shares, so the runs, batches (and where each batch stands, for resuming it),
notices, intents and schedules carry over.

Both stores are brought to the current schema first (the same migrations), then every table is copied row for
row in one transaction on the target: a copy that fails leaves the target as it was. The target must hold no
runs, batches or schedules yet — merging two histories could clash on ids and would mix two machines' records
without saying so. Identity columns keep their values, and PostgreSQL's counters are moved past them. Artifact
paths (reports, screenshots) are copied as they are: the files stay where they were written."""

from __future__ import annotations

from collections.abc import Callable

from deskhand.database import Database
from deskhand.errors import StoreCopyRefused
from deskhand.runs.migrations import migrate

# In an order that inserts every row after the row it refers to (runs before steps, batches before their rows).
TABLES = (
    "runs",
    "steps",
    "model_calls",
    "events",
    "batches",
    "batch_rows",
    "notices",
    "intents",
    "schedules",
    "schedule_fires",
    "workers",
    "worker_desktops",
)
IDENTITY_TABLES = ("model_calls", "events", "notices", "intents", "schedule_fires")  # id from a counter
_CHUNK = 500


def copy_store(
    source: Database, target: Database, *, on_table: Callable[[str, int], None] = lambda table, rows: None
) -> dict[str, int]:
    """Copy every row of ``source`` into the empty store ``target``; returns rows copied per table, each checked
    against the target's own count before the transaction commits."""
    migrate(source)
    migrate(target)
    _check_empty(target)
    copied: dict[str, int] = {}
    with target.transaction():
        for table in TABLES:
            columns = _columns(source, table)
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            rows = [tuple(row) for row in source.execute(f"SELECT {names} FROM {table}").fetchall()]
            for start in range(0, len(rows), _CHUNK):
                target.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + _CHUNK])
            (count,) = target.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            if int(count) != len(rows):
                raise StoreCopyRefused(
                    f"Copying {table} into {target.where} left {count} rows there for {len(rows)} read; nothing "
                    "was kept.",
                    hint="Run the copy again; if it fails the same way, report it with both stores' versions.",
                )
            copied[table] = len(rows)
            on_table(table, len(rows))
        if target.dialect == "postgresql":
            for table in IDENTITY_TABLES:  # the next new row must not reuse a copied id
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                    f"FROM {table}"
                )
    return copied


def _columns(db: Database, table: str) -> list[str]:
    """The table's columns on a SQLite store, in order (the target has the same schema: same migrations)."""
    return [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


def _check_empty(target: Database) -> None:
    held = {
        table: int(target.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("runs", "batches", "schedules", "notices")
    }
    if any(held.values()):
        found = ", ".join(f"{count} {table}" for table, count in held.items() if count)
        raise StoreCopyRefused(
            f"The store at {target.where} already holds {found}; a copy goes only into an empty store.",
            hint="Give a new, empty PostgreSQL database (createdb deskhand_fleet; then --to "
            "postgresql://USER@HOST/deskhand_fleet), or copy nothing: the fleet can start on the new store as is.",
        )
