"""Copying a run store into another (`deskhand runs copy --to postgresql://…`): a machine's SQLite history into
the PostgreSQL store a fleet shares, so the runs, batches (and where each batch stands, for resuming it),
notices, intents and schedules carry over.

Both stores are brought to the current schema first (the same migrations), then every table is copied row for
row in one transaction on the target: a copy that fails leaves the target as it was. The target must hold no
runs, batches or schedules yet — merging two histories could clash on ids and would mix two machines' records
without saying so. Identity columns keep their values, and PostgreSQL's counters are moved past them. Artifact
paths (reports, screenshots) are copied as they are: the files stay where they were written.

The approvals store (``<home>/approvals.db``, its own file on one machine; a table of the shared store on a
fleet) travels in the same transaction: every request answered, refused or expired, with the screenshot the
person saw. A request still pending does not: its run polls this machine's file for the answer, so one copied
would wait in the fleet's console for an answer nobody reads; it is counted and left where its run looks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deskhand.database import Database
from deskhand.errors import StoreCopyRefused
from deskhand.policy.approval_queue import ensure_approvals_table
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
    "fleet_stops",
    "audit",
    "desktop_beats",
)
# id from a counter
IDENTITY_TABLES = ("model_calls", "events", "notices", "intents", "schedule_fires", "fleet_stops", "audit")
APPROVAL_COLUMNS = (
    "id",
    "run_id",
    "step",
    "created_at",
    "request_json",
    "screenshot",
    "digest",
    "status",
    "answered_at",
)


@dataclass(frozen=True, slots=True)
class ApprovalsCopied:
    copied: int
    pending_left: int  # requests still waiting for an answer: left in the machine's file, where their run looks


_CHUNK = 500


def copy_store(
    source: Database,
    target: Database,
    *,
    approvals: Database | None = None,
    on_table: Callable[[str, int], None] = lambda table, rows: None,
) -> dict[str, int]:
    """Copy every row of ``source`` (and of the approvals store ``approvals``, when given) into the empty store
    ``target``; returns rows copied per table, each checked against the target's own count before the
    transaction commits (``approvals_pending_left``: requests left in the file, see the module's text)."""
    migrate(source)
    migrate(target)
    ensure_approvals_table(target)
    if approvals is not None:
        ensure_approvals_table(approvals)
    _check_empty(target)
    copied: dict[str, int] = {}
    with target.transaction():
        for table in TABLES:
            rows = _copy_rows(source, target, table, _columns(source, table))
            copied[table] = rows
            on_table(table, rows)
        if approvals is not None:
            pending = "WHERE status != 'pending'"
            copied["approvals"] = _copy_rows(approvals, target, "approvals", APPROVAL_COLUMNS, pending)
            (left,) = approvals.execute("SELECT COUNT(*) FROM approvals WHERE status = 'pending'").fetchone()
            copied["approvals_pending_left"] = int(left)
            on_table("approvals", copied["approvals"])
        if target.dialect == "postgresql":
            for table in IDENTITY_TABLES:  # the next new row must not reuse a copied id
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                    f"FROM {table}"
                )
    return copied


def _copy_rows(source: Database, target: Database, table: str, columns: Sequence[str], where: str = "") -> int:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    rows = [tuple(row) for row in source.execute(f"SELECT {names} FROM {table} {where}").fetchall()]
    for start in range(0, len(rows), _CHUNK):
        target.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + _CHUNK])
    (count,) = target.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    if int(count) != len(rows):
        raise StoreCopyRefused(
            f"Copying {table} into {target.where} left {count} rows there for {len(rows)} read; nothing was kept.",
            hint="Run the copy again; if it fails the same way, report it with both stores' versions.",
        )
    return len(rows)


def _columns(db: Database, table: str) -> list[str]:
    """The table's columns on a SQLite store, in order (the target has the same schema: same migrations)."""
    return [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


def _check_empty(target: Database) -> None:
    held = {
        table: int(target.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("runs", "batches", "schedules", "notices", "approvals")
    }
    if any(held.values()):
        found = ", ".join(f"{count} {table}" for table, count in held.items() if count)
        raise StoreCopyRefused(
            f"The store at {target.where} already holds {found}; a copy goes only into an empty store.",
            hint="Give a new, empty PostgreSQL database (createdb deskhand_fleet; then --to "
            "postgresql://USER@HOST/deskhand_fleet), or copy nothing: the fleet can start on the new store as is.",
        )
