"""The fleet in the run store: which workers serve rows, their desktops, and the batch rows in flight.

A worker (a Celery worker with N desktops, or the command that runs `--parallel N` on this machine) writes a
heartbeat every few seconds: its name, host, pid, deskhand version and what each of its desktops runs now.
The console's fleet page reads them back; a worker whose heartbeat is older than ``SILENT_AFTER_S`` shows as
silent (killed, or its machine is gone), one that said goodbye as stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deskhand.database import Database
from deskhand.runs.records import iso, utc_now

HEARTBEAT_S = 5.0
SILENT_AFTER_S = 30.0
WORKER_KINDS = frozenset({"celery", "parallel"})


@dataclass(frozen=True, slots=True)
class DesktopSlot:
    """One desktop of a worker: its number (1..N), its display (``:101``; "" before it is up), the run on it and
    its process (a Celery worker's desktops: their runs are judged by their rows' leases)."""

    number: int
    display: str = ""
    run_id: str | None = None
    pid: int | None = None


@dataclass(frozen=True, slots=True)
class WorkerRecord:
    name: str
    kind: str
    host: str
    pid: int
    version: str
    started_at: str
    heartbeat_at: str
    stopped_at: str | None
    desktops: tuple[DesktopSlot, ...]

    def state(self, now: datetime | None = None) -> str:
        """``serving``, ``silent`` (no heartbeat for SILENT_AFTER_S) or ``stopped``."""
        if self.stopped_at:
            return "stopped"
        age = ((now or utc_now()) - datetime.fromisoformat(self.heartbeat_at)).total_seconds()
        return "silent" if age > SILENT_AFTER_S else "serving"


@dataclass(frozen=True, slots=True)
class RowInFlight:
    """A batch row being run now, and where: the worker and desktop when one claims its run."""

    batch_id: str
    row: int
    run_id: str | None
    workflow_name: str
    started_at: str | None
    host: str | None
    pid: int | None
    worker: str | None
    desktop: int | None
    # No run on it now: why, when its last run was interrupted (its desktop died) and the row waits to come back.
    note: str = ""


def record_heartbeat(
    db: Database,
    name: str,
    *,
    kind: str,
    host: str,
    pid: int,
    version: str,
    desktops: Sequence[DesktopSlot],
) -> None:
    """Insert or refresh a worker and replace its desktops (call inside one transaction)."""
    now = iso(utc_now())
    db.execute(
        "INSERT INTO workers (name, kind, host, pid, desktops, version, started_at, heartbeat_at, beat) "
        f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, {db.clock}) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
        "host = excluded.host, desktops = excluded.desktops, version = excluded.version, beat = excluded.beat, "
        "started_at = CASE WHEN workers.pid = excluded.pid AND workers.stopped_at IS NULL "
        "THEN workers.started_at ELSE excluded.started_at END, "
        "pid = excluded.pid, heartbeat_at = excluded.heartbeat_at, stopped_at = NULL",
        (name, kind, host, pid, len(desktops), version, now, now),
    )
    db.execute("DELETE FROM worker_desktops WHERE worker = ?", (name,))
    db.executemany(
        "INSERT INTO worker_desktops (worker, number, display, run_id, pid) VALUES (?, ?, ?, ?, ?)",
        [(name, slot.number, slot.display, slot.run_id, slot.pid) for slot in desktops],
    )


def record_stopped(db: Database, name: str) -> None:
    db.execute("UPDATE workers SET stopped_at = ? WHERE name = ?", (iso(utc_now()), name))
    db.execute("UPDATE worker_desktops SET run_id = NULL WHERE worker = ?", (name,))


def load_workers(db: Database) -> list[WorkerRecord]:
    """Every worker, the newest heartbeat first, with its desktops."""
    slots: dict[str, list[DesktopSlot]] = {}
    for worker, number, display, run_id, pid in db.execute(
        "SELECT worker, number, display, run_id, pid FROM worker_desktops ORDER BY worker, number", ()
    ).fetchall():
        slots.setdefault(worker, []).append(DesktopSlot(int(number), display, run_id, pid))
    rows = db.execute(
        "SELECT name, kind, host, pid, version, started_at, heartbeat_at, stopped_at FROM workers "
        "ORDER BY heartbeat_at DESC, name",
        (),
    ).fetchall()
    return [
        WorkerRecord(name, kind, host, int(pid), version, started, beat, stopped, tuple(slots.get(name, ())))
        for name, kind, host, pid, version, started, beat, stopped in rows
    ]


def load_rows_in_flight(db: Database) -> list[RowInFlight]:
    """Batch rows marked running, with the run running them (if started) and the worker desktop holding it."""
    rows = db.execute(
        "SELECT br.batch_id, br.row_index, r.id, COALESCE(r.workflow_name, b.workflow_path), r.started_at, "
        "r.owner_host, r.owner_pid, wd.worker, wd.number "
        "FROM batch_rows br JOIN batches b ON b.id = br.batch_id "
        "LEFT JOIN runs r ON r.batch_id = br.batch_id AND r.batch_row = br.row_index AND r.status = 'running' "
        "LEFT JOIN worker_desktops wd ON wd.run_id = r.id "
        "WHERE br.status = 'running' ORDER BY br.updated_at, br.batch_id, br.row_index",
        (),
    ).fetchall()
    by_process = {(w.host, w.pid): w.name for w in load_workers(db) if w.stopped_at is None}
    found: list[RowInFlight] = []
    for batch_id, index, run_id, workflow, started, host, pid, worker, desktop in rows:
        worker = worker or by_process.get((host, pid))
        note = "" if run_id else _left_by(db, batch_id, int(index))
        found.append(RowInFlight(batch_id, int(index), run_id, workflow, started, host, pid, worker, desktop, note))
    return found


def _left_by(db: Database, batch_id: str, row: int) -> str:
    last = db.execute(
        "SELECT id, status FROM runs WHERE batch_id = ? AND batch_row = ? ORDER BY started_at DESC LIMIT 1",
        (batch_id, row),
    ).fetchone()
    if last is None or last[1] != "interrupted":
        return ""
    return f"run {last[0]} was interrupted; the row waits to be taken again (a fleet's broker delivers it again)"


def running_runs_of(db: Database, host: str, pids: Sequence[int]) -> dict[int, str]:
    """pid → the run it is running now, for processes of ``host`` (how `--parallel` fills its desktops)."""
    if not pids:
        return {}
    marks = ", ".join("?" for _ in pids)
    query = f"SELECT owner_pid, id FROM runs WHERE status = 'running' AND owner_host = ? AND owner_pid IN ({marks})"
    args: list[Any] = [host, *pids]
    return {int(pid): str(run_id) for pid, run_id in db.execute(query, args).fetchall()}
