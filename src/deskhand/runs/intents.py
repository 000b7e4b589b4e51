"""Intent records: written and synced to disk before each irreversible action, the outcome after it.

A batch killed between the two (or after both, before the row ended) leaves a row whose action may have
happened; resuming it checks the row with the workflow's `verify:` steps before anything is tried again.
The log keeps its own connection, durable: on SQLite with ``synchronous=FULL`` (a commit returns only once
the write-ahead log is on disk), on PostgreSQL with its default ``synchronous_commit``, so an intent
survives a crash of the machine as well as of the process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deskhand.database import Where, open_database
from deskhand.runs.migrations import migrate
from deskhand.runs.records import iso, utc_now


@dataclass(frozen=True, slots=True)
class IntentRecord:
    id: int
    run_id: str
    step: int | None
    action: str
    target: dict[str, Any]
    meaning: str
    created_at: str
    outcome: str | None

    def describe(self) -> str:
        """One line for people: what was about to happen, and what is known of its end."""
        name = self.target.get("name") or self.target.get("role") or "?"
        end = f"outcome: {self.outcome}" if self.outcome else "no outcome recorded (stopped during it)"
        return f"step {self.step}: {self.action} on {name!r} means {self.meaning!r} ({end})"


class IntentLog:
    """The ``intents`` table of the run store at ``path`` (its target texts come redacted from the guard)."""

    def __init__(self, path: Where) -> None:
        self._lock = threading.Lock()
        self._db = open_database(path, durable=True)
        migrate(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def intend(self, run_id: str, step: int | None, action: str, target: Mapping[str, str], meaning: str) -> int:
        """Record that ``action`` (irreversible: ``meaning``) is about to be sent; durable when this returns."""
        with self._lock:
            return self._db.insert(
                "INSERT INTO intents (run_id, step, action, target_json, meaning, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, step, action, json.dumps(dict(target), ensure_ascii=False), meaning, iso(utc_now())),
            )

    def settle(self, intent_id: int, outcome: str) -> None:
        """Record how the action ended as far as deskhand saw it (``sent``, or the error that ended it)."""
        with self._lock:
            self._db.execute(
                "UPDATE intents SET outcome = ?, outcome_at = ? WHERE id = ?", (outcome, iso(utc_now()), intent_id)
            )

    def for_row(self, batch_id: str, row: int) -> list[IntentRecord]:
        """Every intent recorded by any run of one batch row, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT i.id, i.run_id, i.step, i.action, i.target_json, i.meaning, i.created_at, i.outcome "
                "FROM intents i JOIN runs r ON r.id = i.run_id "
                "WHERE r.batch_id = ? AND r.batch_row = ? AND r.kind = 'workflow' ORDER BY i.id",
                (batch_id, row),
            ).fetchall()
        return [
            IntentRecord(id_, run_id, step, action, json.loads(target), meaning, created, outcome)
            for id_, run_id, step, action, target, meaning, created, outcome in rows
        ]

    def for_run(self, run_id: str) -> list[IntentRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, run_id, step, action, target_json, meaning, created_at, outcome FROM intents "
                "WHERE run_id = ? ORDER BY id",
                (run_id,),
            ).fetchall()
        return [
            IntentRecord(id_, run_, step, action, json.loads(target), meaning, created, outcome)
            for id_, run_, step, action, target, meaning, created, outcome in rows
        ]
