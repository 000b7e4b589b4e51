"""One audit log for the fleet: every action a run of a shared store allows or refuses, with the machine and
desktop that did it, in the store's ``audit`` table (`deskhand runs audit`, the console's fleet page).

Each machine also keeps its own hash-chained file (runs/audit.py), written first: that file is the tamper-evident
record; this table is the fleet's view across machines. An entry that cannot reach the store stops the action
as an unwritable file does (deskhand does nothing it cannot audit)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from deskhand.database import Database
from deskhand.errors import AuditUnavailable, StoreUnavailable
from deskhand.runs.records import iso, utc_now

_REFUSED = "refused "


@dataclass(frozen=True, slots=True)
class SharedAuditEntry:
    id: int
    at: str
    host: str
    machine: str  # the desktop that acted: "host, desktop 2 (pid 812)", or the host for a run of its own
    run_id: str
    step: int | None
    action: str  # what the guard names it: click, type, open… or "refused click"
    allowed: bool
    target: dict[str, Any]
    value: str | None  # already redacted

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def record_entry(
    db: Database,
    *,
    host: str,
    machine: str,
    run_id: str,
    step: int | None,
    action: str,
    target_json: str,
    value: str | None,
) -> None:
    db.execute(
        "INSERT INTO audit (at, host, machine, run_id, step, action, allowed, target_json, value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (iso(utc_now()), host, machine, run_id, step, action, int(not action.startswith(_REFUSED)), target_json, value),
    )


def load_entries(
    db: Database, *, run_id: str | None = None, refused_only: bool = False, limit: int = 50
) -> list[SharedAuditEntry]:
    """The newest ``limit`` entries (of one run, or only refusals), oldest first."""
    where, args = [], []
    if run_id:
        where.append("run_id = ?")
        args.append(run_id)
    if refused_only:
        where.append("allowed = 0")
    clause = f"WHERE {' AND '.join(where)} " if where else ""
    rows = db.execute(
        "SELECT id, at, host, machine, run_id, step, action, allowed, target_json, value FROM audit "
        f"{clause}ORDER BY id DESC LIMIT ?",
        [*args, limit],
    ).fetchall()
    return [
        SharedAuditEntry(
            int(i),
            str(at),
            str(host),
            str(machine),
            str(run),
            None if step is None else int(step),
            str(action),
            bool(allowed),
            json.loads(target),
            value,
        )
        for i, at, host, machine, run, step, action, allowed, target, value in reversed(rows)
    ]


class LocalAudit(Protocol):
    def append(
        self, run_id: str, step: int | None, action: str, target: Mapping[str, Any], value_redacted: str | None
    ) -> object: ...


class AuditRecorder(Protocol):
    def record_audit(
        self,
        machine: str,
        run_id: str,
        step: int | None,
        action: str,
        target: Mapping[str, Any],
        value_redacted: str | None,
    ) -> None: ...


@dataclass
class FleetAudit:
    """The guard's audit sink for a run of a shared store: this machine's file first, then the store's table."""

    local: LocalAudit
    store: AuditRecorder
    machine: str

    def append(
        self, run_id: str, step: int | None, action: str, target: Mapping[str, Any], value_redacted: str | None
    ) -> object:
        entry = self.local.append(run_id, step, action, target, value_redacted)
        try:
            self.store.record_audit(self.machine, run_id, step, action, target, value_redacted)
        except StoreUnavailable as error:
            raise AuditUnavailable(
                f"The fleet's audit log could not be written ({error.message}), so deskhand refused to {action}.",
                hint=error.hint,
            ) from None
        return entry
