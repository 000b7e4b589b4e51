"""The fleet's kill switch, in the run store the fleet shares: `deskhand fleet stop` writes a stop that stays in
force until `deskhand fleet resume` lifts it. Every run whose store this is sees it before its next read or
input event (policy/killswitch.py polls it through RunStore.fleet_stop_reason) and ends `stopped`; a fleet
desktop refuses rows while it is in force, and a submitter sends none. Rows keep their state in the store, so
the same command, run again after the resume, goes on under the exactly-once rules."""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.database import Database
from deskhand.runs.records import iso, utc_now


@dataclass(frozen=True, slots=True)
class FleetStop:
    id: int
    asked_at: str
    asked_by: str
    reason: str

    def describe(self) -> str:
        why = f": {self.reason}" if self.reason else ""
        return f"The fleet was stopped by {self.asked_by} at {self.asked_at[:19].replace('T', ' ')} UTC{why}."


def stop_in_force(db: Database) -> FleetStop | None:
    row = db.execute(
        "SELECT id, asked_at, asked_by, reason FROM fleet_stops WHERE lifted_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else FleetStop(int(row[0]), str(row[1]), str(row[2]), str(row[3]))


def ask_stop(db: Database, asked_by: str, reason: str) -> FleetStop:
    """Put a stop in force (one already in force stays the one shown; call inside one transaction)."""
    current = stop_in_force(db)
    if current is not None:
        return current
    now = iso(utc_now())
    new_id = db.insert("INSERT INTO fleet_stops (asked_at, asked_by, reason) VALUES (?, ?, ?)", (now, asked_by, reason))
    return FleetStop(new_id, now, asked_by, reason)


def lift_stop(db: Database, lifted_by: str) -> list[FleetStop]:
    """Lift every stop in force; returns those lifted."""
    lifted = []
    while (current := stop_in_force(db)) is not None:
        db.execute(
            "UPDATE fleet_stops SET lifted_at = ?, lifted_by = ? WHERE id = ?", (iso(utc_now()), lifted_by, current.id)
        )
        lifted.append(current)
    return lifted
