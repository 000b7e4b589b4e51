"""The workers half of :class:`~deskhand.runs.store.RunStore`: each fleet worker's heartbeat and desktops,
and the rows they run (the SQL is runs/workers.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from deskhand import __version__
from deskhand.database import Database
from deskhand.runs.batch_rows import require
from deskhand.runs.owner import Owner
from deskhand.runs.workers import (
    WORKER_KINDS,
    DesktopSlot,
    RowInFlight,
    WorkerRecord,
    load_rows_in_flight,
    load_workers,
    record_heartbeat,
    record_stopped,
    running_runs_of,
)


class WorkerRecords:
    _db: Database
    _lock: threading.RLock
    _host: str
    _owner: Owner
    _transaction: Callable[[], AbstractContextManager[Database]]
    mark_interrupted_runs: Callable[[], list[str]]

    def record_worker_heartbeat(
        self,
        name: str,
        desktops: Sequence[DesktopSlot],
        *,
        kind: str = "celery",
        version: str = "",
        host: str = "",
        pid: int = 0,
    ) -> None:
        """A worker is alive and its desktops run these runs (call every HEARTBEAT_S seconds)."""
        require(kind, WORKER_KINDS, "worker kind")
        with self._transaction() as db:
            record_heartbeat(
                db,
                name,
                kind=kind,
                host=host or self._host,
                pid=pid or self._owner.pid,
                version=version or __version__,
                desktops=desktops,
            )

    def record_worker_stopped(self, name: str) -> None:
        """A worker said goodbye (its desktops are emptied; the fleet page shows it stopped)."""
        with self._transaction() as db:
            record_stopped(db, name)

    def workers(self) -> list[WorkerRecord]:
        with self._lock:
            return load_workers(self._db)

    def rows_in_flight(self) -> list[RowInFlight]:
        self.mark_interrupted_runs()
        with self._lock:
            return load_rows_in_flight(self._db)

    def running_runs_of(self, pids: Sequence[int], host: str = "") -> dict[int, str]:
        """pid → the run that process (of ``host``, this one by default) is running now."""
        with self._lock:
            return running_runs_of(self._db, host or self._host, pids)
