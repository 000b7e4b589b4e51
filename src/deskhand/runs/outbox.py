"""The notices table of the run store: every notice deskhand made, delivered or not.

A notice is ``pending`` while a sender holds it, then ``delivered`` or ``undelivered`` (retried later);
``grouped`` when a notice of the same group went out within the window (it waits for the group's digest),
then ``digested``. Each call opens its own connection: senders write from their own threads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from deskhand.database import Database, Where, open_database
from deskhand.runs.migrations import migrate
from deskhand.runs.records import iso, utc_now

_COLUMNS = (
    "id, run_id, workflow, step, kind, group_key, title, body, attachment_path, urls_json, status, attempts, "
    "last_error, created_at, sent_at"
)
UNSENT = ("pending", "undelivered")


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    id: int
    run_id: str
    workflow: str
    step: int | None
    kind: str
    group_key: str
    title: str
    body: str
    attachment_path: Path | None
    urls: tuple[str, ...]
    status: str
    attempts: int
    last_error: str | None
    created_at: str
    sent_at: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "run_id": self.run_id,
            "workflow": self.workflow,
            "step": self.step,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at,
            "sent_at": self.sent_at,
        }


def _record(row: Sequence[Any]) -> NoticeRecord:
    return NoticeRecord(
        id=row[0],
        run_id=row[1],
        workflow=row[2],
        step=row[3],
        kind=row[4],
        group_key=row[5],
        title=row[6],
        body=row[7],
        attachment_path=Path(row[8]) if row[8] else None,
        urls=tuple(json.loads(row[9])),
        status=row[10],
        attempts=row[11],
        last_error=row[12],
        created_at=row[13],
        sent_at=row[14],
    )


class Outbox:
    """The notices of the run store at ``path`` (the same database as the runs)."""

    def __init__(self, path: Where) -> None:
        self.path = path
        with self._db() as db:
            migrate(db)

    @contextmanager
    def _db(self) -> Iterator[Database]:
        db = open_database(self.path)
        try:
            yield db
        finally:
            db.close()

    def add(
        self,
        *,
        run_id: str,
        workflow: str,
        step: int | None,
        kind: str,
        group_key: str,
        title: str,
        body: str,
        attachment: Path | None,
        urls: Sequence[str],
        status: str,
    ) -> int:
        with self._db() as db:
            return db.insert(
                "INSERT INTO notices (run_id, workflow, step, kind, group_key, title, body, attachment_path, "
                "urls_json, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    workflow,
                    step,
                    kind,
                    group_key,
                    title,
                    body,
                    str(attachment) if attachment else None,
                    json.dumps(list(urls)),
                    status,
                    iso(utc_now()),
                ),
            )

    def get(self, notice_id: int) -> NoticeRecord:
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM notices WHERE id = ?", (notice_id,)).fetchone()
        if row is None:
            raise KeyError(notice_id)
        return _record(row)

    def sent_recently(self, group_key: str, window_s: float) -> NoticeRecord | None:
        """The last notice of the group that was not held back, when it is younger than the window."""
        since = iso(utc_now() - timedelta(seconds=window_s))
        with self._db() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM notices WHERE group_key = ? AND status NOT IN ('grouped', 'digested') "
                "AND kind != 'digest' AND created_at >= ? ORDER BY id DESC LIMIT 1",
                (group_key, since),
            ).fetchone()
        return _record(row) if row else None

    def held_groups(self, window_s: float) -> dict[str, list[NoticeRecord]]:
        """Groups with held-back notices whose window is over: their digests are due."""
        since = iso(utc_now() - timedelta(seconds=window_s))
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM notices WHERE status = 'grouped' ORDER BY id").fetchall()
            due: dict[str, list[NoticeRecord]] = {}
            for row in rows:
                record = _record(row)
                if self.sent_recently_in(db, record.group_key, since) is None:
                    due.setdefault(record.group_key, []).append(record)
        return due

    @staticmethod
    def sent_recently_in(db: Database, group_key: str, since: str) -> int | None:
        row = db.execute(
            "SELECT id FROM notices WHERE group_key = ? AND status NOT IN ('grouped', 'digested') "
            "AND kind != 'digest' AND created_at >= ? LIMIT 1",
            (group_key, since),
        ).fetchone()
        return int(row[0]) if row else None

    def mark(self, notice_id: int, status: str, error: str | None = None) -> None:
        sent = iso(utc_now()) if status == "delivered" else None
        with self._db() as db:
            db.execute(
                "UPDATE notices SET status = ?, attempts = attempts + 1, last_error = ?, sent_at = ? WHERE id = ?",
                (status, error, sent, notice_id),
            )

    def set_status(self, ids: Sequence[int], status: str) -> None:
        with self._db() as db:
            db.executemany("UPDATE notices SET status = ? WHERE id = ?", [(status, i) for i in ids])

    def unsent(self) -> list[NoticeRecord]:
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM notices WHERE status IN (?, ?) ORDER BY id", UNSENT).fetchall()
        return [_record(row) for row in rows]

    def recent(self, limit: int = 50) -> list[NoticeRecord]:
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM notices ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_record(row) for row in rows]
