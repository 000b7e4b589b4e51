"""Runs left `running` by an owner that is gone, and how each is decided `interrupted`:

- on this host, by the owner's pid and start time (runs/owner.py), whenever a store is opened;
- on a fleet desktop of any host, by its row's lease (app/fleet/leases.py): a desktop takes the row's lease
  before its run starts, renews it every few seconds and lets it go only after the run has ended, so a run still
  running whose desktop no longer holds the lease has nobody working on it (the machine died, was killed or lost
  the broker). Only the fleet sees the broker: it finds those runs here and asks the broker.

Each update is conditional on the run still running, so a run that ended between the look and the update keeps
its own ending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskhand.database import Database
from deskhand.runs.owner import Owner
from deskhand.runs.records import utc_now
from deskhand.runs.workers import SILENT_AFTER_S


@dataclass(frozen=True, slots=True)
class LeasedRun:
    """A running run of a fleet desktop: its row, and the desktop (host, pid) that must hold the row's lease."""

    run_id: str
    batch_id: str
    row: int
    host: str
    pid: int


def orphans_on_host(db: Database, host: str) -> list[str]:
    """Running runs of ``host`` (or of no recorded host) whose owner process is gone."""
    running = db.execute(
        "SELECT id, owner_pid, owner_started FROM runs WHERE status = 'running' "
        "AND (owner_host IS NULL OR owner_host = ?)",
        (host,),
    )
    return [run_id for run_id, pid, started in running.fetchall() if not Owner(pid, started).alive()]


_FLEET_RUNS = (
    "SELECT DISTINCT r.id, r.batch_id, r.batch_row, r.owner_host, r.owner_pid FROM runs r "
    "JOIN workers w ON w.host = r.owner_host AND w.kind = 'celery' AND w.started_at <= r.started_at "
    "AND (w.stopped_at IS NULL OR w.stopped_at >= r.started_at) "
    "JOIN worker_desktops d ON d.worker = w.name AND d.pid = r.owner_pid "
)
_RUNNING_ROWS = "WHERE r.status = 'running' AND r.batch_id IS NOT NULL AND r.batch_row IS NOT NULL"


def leased_runs_running(db: Database, batch_id: str | None = None, row: int | None = None) -> list[LeasedRun]:
    """Running batch runs owned by a desktop of a Celery worker (`deskhand worker`), which runs rows only under
    their lease (a `--parallel` desktop takes none). The worker must have been up when the run started, so a pid
    of a stopped worker used again by another process does not count."""
    query = _FLEET_RUNS + _RUNNING_ROWS
    args: list[object] = []
    if batch_id is not None:
        query += " AND r.batch_id = ?"
        args.append(batch_id)
    if row is not None:
        query += " AND r.batch_row = ?"
        args.append(row)
    rows = db.execute(query + " ORDER BY r.id", args).fetchall()
    return [LeasedRun(str(run), str(batch), int(index), str(host), int(pid)) for run, batch, index, host, pid in rows]


def silent_fleet_runs(db: Database, silent_after_s: float = SILENT_AFTER_S) -> list[LeasedRun]:
    """Running runs of fleet desktops that nothing says are alive, for a reader that cannot see the broker's
    leases (`deskhand runs`, the console, a worker starting): the desktop's own beat and its worker's heartbeat
    are both older than ``silent_after_s`` by the store's own clock (or the worker said goodbye), so neither
    the desktop nor its worker has reached the store for that long. A desktop that beats no more but whose
    worker does is left to that worker, which sees the lease."""
    query = (
        _FLEET_RUNS
        + "LEFT JOIN desktop_beats b ON b.host = r.owner_host AND b.pid = r.owner_pid "
        + _RUNNING_ROWS
        + f" AND (w.stopped_at IS NOT NULL OR w.beat < {db.clock} - ?) AND (b.beat IS NULL OR b.beat < {db.clock} - ?)"
    )
    rows = db.execute(query + " ORDER BY r.id", (silent_after_s, silent_after_s)).fetchall()
    return [LeasedRun(str(run), str(batch), int(index), str(host), int(pid)) for run, batch, index, host, pid in rows]


def beat_desktop(db: Database, host: str, pid: int) -> None:
    """A fleet desktop is alive now, by the store's clock (silent_fleet_runs reads it)."""
    db.execute(
        f"INSERT INTO desktop_beats (host, pid, beat) VALUES (?, ?, {db.clock}) "
        "ON CONFLICT (host, pid) DO UPDATE SET beat = excluded.beat",
        (host, pid),
    )


def interrupt(db: Database, run_id: str, now: str, error_json: str | None = None) -> bool:
    """Mark the run and its running steps interrupted if it is still running (call inside one transaction)."""
    cursor = db.execute(
        "UPDATE runs SET status = 'interrupted', finished_at = ?, error_json = COALESCE(?, error_json) "
        "WHERE id = ? AND status = 'running'",
        (now, error_json, run_id),
    )
    if cursor.rowcount != 1:
        return False
    db.execute(
        "UPDATE steps SET status = 'interrupted', finished_at = ? WHERE run_id = ? AND status = 'running'",
        (now, run_id),
    )
    return True


@dataclass(frozen=True, slots=True)
class RemoteRun:
    """A run recorded running by another machine, and what this machine can know of it: the worker whose
    desktop runs it (by its heartbeats), if any."""

    run_id: str
    host: str
    pid: int
    worker: str | None
    heartbeat_at: str | None
    stopped_at: str | None

    def describe(self, now: datetime | None = None) -> str:
        """Where the run is, for a list: a silent or stopped worker's run may be dead (a live worker of the
        fleet decides it once its lease has run out; runs/orphans.py)."""
        where = f"on {self.host}, pid {self.pid}"
        if self.worker is None or self.heartbeat_at is None:
            return f"{where}: no worker reports it, so this machine cannot tell whether it still runs"
        if self.stopped_at:
            return f"{where}: its worker {self.worker} stopped at {self.stopped_at[:19]} — not running there"
        age = ((now or utc_now()) - datetime.fromisoformat(self.heartbeat_at)).total_seconds()
        if age > SILENT_AFTER_S:
            return f"{where}: its worker {self.worker} is silent since {self.heartbeat_at[:19]} — likely dead"
        return f"{where}, worker {self.worker}"


def running_elsewhere(db: Database, host: str) -> dict[str, RemoteRun]:
    """Running runs owned by other hosts (this host judges its own by pid), with their worker if one reported."""
    rows = db.execute(
        "SELECT r.id, r.owner_host, r.owner_pid, w.name, w.heartbeat_at, w.stopped_at FROM runs r "
        "LEFT JOIN worker_desktops d ON d.pid = r.owner_pid "
        "LEFT JOIN workers w ON w.name = d.worker AND w.host = r.owner_host "
        "WHERE r.status = 'running' AND r.owner_host IS NOT NULL AND r.owner_host != ? ORDER BY r.id",
        (host,),
    ).fetchall()
    found: dict[str, RemoteRun] = {}
    for run_id, owner_host, pid, worker, beat, stopped in rows:
        if run_id not in found or worker is not None:
            found[str(run_id)] = RemoteRun(str(run_id), str(owner_host), int(pid or 0), worker, beat, stopped)
    return found
