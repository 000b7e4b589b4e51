"""The schedules in the run store: which workflow runs when, and every firing (run, missed, skipped, held).

A firing's ``status``: ``started`` (a run was started; ``run_id`` once it is known), ``missed`` (it fell while
deskhand was not running), ``skipped`` (missed, and the schedule's policy is ``skip``), ``overlap`` (the
workflow was still running), ``error`` (the workflow file could not be read or the run not started).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deskhand.database import Where, open_database
from deskhand.errors import DeskhandError
from deskhand.runs.migrations import migrate
from deskhand.runs.records import iso, new_id, utc_now

FIRE_STATUSES = ("started", "missed", "skipped", "overlap", "error")


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    id: str
    workflow_path: str
    expression: str
    cron: str
    missed: str
    source: str  # "front matter" or "added"
    created_at: str
    last_fire_at: str | None

    @property
    def since(self) -> datetime:
        """Firings after this moment are still to come (or missed)."""
        return datetime.fromisoformat(self.last_fire_at or self.created_at)


@dataclass(frozen=True, slots=True)
class FireRecord:
    schedule_id: str
    due_at: str
    status: str
    run_id: str | None
    note: str | None
    at: str


class ScheduleBook:
    """Schedules and their firings, over the run store (its own connection)."""

    def __init__(self, path: Where) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(path)
        migrate(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, workflow_path: str, expression: str, cron: str, missed: str, source: str) -> ScheduleRecord:
        """Add a schedule (the same workflow and cron again replaces its expression and policy)."""
        now = iso(utc_now())
        with self._lock:
            self._db.execute(
                "INSERT INTO schedules (id, workflow_path, expression, cron, missed, source, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workflow_path, cron) DO UPDATE SET "
                "expression = excluded.expression, missed = excluded.missed, source = excluded.source",
                (new_id("s"), workflow_path, expression, cron, missed, source, now),
            )
        return next(s for s in self.all() if s.workflow_path == workflow_path and s.cron == cron)

    def remove(self, which: str) -> list[ScheduleRecord]:
        """Remove a schedule by id, or every schedule of a workflow file; returns what was removed."""
        gone = [s for s in self.all() if which in (s.id, s.workflow_path)]
        if not gone:
            known = ", ".join(f"{s.id} ({Path(s.workflow_path).name})" for s in self.all()) or "none"
            raise DeskhandError(f"No schedule {which!r}.", hint=f"Schedules: {known}. See `deskhand schedule list`.")
        with self._lock:
            self._db.executemany("DELETE FROM schedules WHERE id = ?", [(s.id,) for s in gone])
        return gone

    def all(self) -> list[ScheduleRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, workflow_path, expression, cron, missed, source, created_at, last_fire_at "
                "FROM schedules ORDER BY workflow_path, created_at"
            ).fetchall()
        return [ScheduleRecord(*row) for row in rows]

    def find(self, which: str) -> list[ScheduleRecord]:
        found = [s for s in self.all() if which in (s.id, s.workflow_path)]
        if not found:
            raise DeskhandError(f"No schedule {which!r}.", hint="See `deskhand schedule list`.")
        return found

    def fired(self, schedule_id: str, due: datetime, status: str, *, run_id: str | None = None, note: str = "") -> int:
        assert status in FIRE_STATUSES, status
        with self._lock:
            return self._db.insert(
                "INSERT INTO schedule_fires (schedule_id, due_at, status, run_id, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                (schedule_id, iso(due), status, run_id, note or None, iso(utc_now())),
            )

    def claim(self, schedule: ScheduleRecord, moment: datetime) -> bool:
        """Take the firings up to ``moment``: only one scheduler wins them (two processes both running a
        scheduler, `serve` and `schedule run-loop`, never both start a run)."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE schedules SET last_fire_at = ? WHERE id = ? AND last_fire_at IS NOT DISTINCT FROM ?",
                (iso(moment), schedule.id, schedule.last_fire_at),
            )
        return cursor.rowcount == 1

    def set_run(self, fire_id: int, run_id: str) -> None:
        with self._lock:
            self._db.execute("UPDATE schedule_fires SET run_id = ? WHERE id = ?", (run_id, fire_id))

    def fires(self, schedule_id: str, limit: int = 20) -> list[FireRecord]:
        """The newest firings of a schedule first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT schedule_id, due_at, status, run_id, note, at FROM schedule_fires WHERE schedule_id = ? "
                "ORDER BY id DESC LIMIT ?",
                (schedule_id, limit),
            ).fetchall()
        return [FireRecord(*row) for row in rows]

    def run_of_process(self, pid: int, since: datetime) -> str | None:
        """The run a process started at or after ``since`` (how a firing learns its child's run id)."""
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM runs WHERE owner_pid = ? AND started_at >= ? AND kind = 'workflow' "
                "ORDER BY started_at LIMIT 1",
                (pid, iso(since)),
            ).fetchone()
        return None if row is None else str(row[0])

    def run_status(self, run_id: str) -> str:
        with self._lock:
            row = self._db.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
        return "" if row is None else str(row[0])

    def running_runs_of(self, workflow_path: str) -> list[str]:
        """Runs of this workflow recorded as running (the store marks those of dead processes interrupted)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM runs WHERE workflow_path = ? AND status = 'running'", (workflow_path,)
            ).fetchall()
        return [str(run_id) for (run_id,) in rows]
