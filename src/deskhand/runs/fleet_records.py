"""The fleet-wide half of :class:`~deskhand.runs.store.RunStore`: the fleet's kill switch (runs/fleet_stop.py),
its shared audit log (runs/shared_audit.py) and each fleet desktop's beat by the store's clock (runs/orphans.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from deskhand.database import Database
from deskhand.runs import fleet_stop, orphans, shared_audit
from deskhand.runs.fleet_stop import FleetStop
from deskhand.runs.redaction import redact_data
from deskhand.runs.shared_audit import SharedAuditEntry


class FleetRecords:
    _db: Database
    _lock: threading.RLock
    _host: str
    _transaction: Callable[[], AbstractContextManager[Database]]
    _text: Callable[[str], str]

    # -- the fleet's kill switch -----------------------------------------------------------------------

    def fleet_stop(self) -> FleetStop | None:
        """The stop in force for every run of this store, if one is."""
        with self._lock:
            return fleet_stop.stop_in_force(self._db)

    def fleet_stop_reason(self) -> str:
        """What a run's kill switch polls: why the fleet is stopped, or "" when it is not."""
        stop = self.fleet_stop()
        return "" if stop is None else stop.describe()

    def stop_fleet(self, reason: str = "", asked_by: str = "") -> FleetStop:
        with self._transaction() as db:
            return fleet_stop.ask_stop(db, asked_by or self._host, self._text(reason))

    def resume_fleet(self, lifted_by: str = "") -> list[FleetStop]:
        with self._transaction() as db:
            return fleet_stop.lift_stop(db, lifted_by or self._host)

    # -- the fleet's audit log -------------------------------------------------------------------------

    def record_audit(
        self,
        machine: str,
        run_id: str,
        step: int | None,
        action: str,
        target: Mapping[str, Any],
        value_redacted: str | None,
    ) -> None:
        target_json = json.dumps(redact_data(dict(target), self._text), ensure_ascii=False, default=str)
        with self._transaction() as db:
            shared_audit.record_entry(
                db,
                host=self._host,
                machine=machine or self._host,
                run_id=run_id,
                step=step,
                action=action,
                target_json=target_json,
                value=None if value_redacted is None else self._text(value_redacted),
            )

    def audit_entries(
        self, *, run_id: str | None = None, refused_only: bool = False, limit: int = 50
    ) -> list[SharedAuditEntry]:
        with self._lock:
            return shared_audit.load_entries(self._db, run_id=run_id, refused_only=refused_only, limit=limit)

    # -- fleet desktops' beats -------------------------------------------------------------------------

    def beat_desktop(self, pid: int) -> None:
        with self._transaction() as db:
            orphans.beat_desktop(db, self._host, pid)

    def forget_desktop(self, pid: int) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM desktop_beats WHERE host = ? AND pid = ?", (self._host, pid))
