"""A queue of approval requests in SQLite (or the fleet's PostgreSQL: a worker's request is answered in the
console of any machine), answered from another process (web page, MCP server, CLI).

The run writes a request and polls for its answer; the other side lists :meth:`ApprovalQueue.pending`
and calls :meth:`ApprovalQueue.answer`. An answer may carry the digest the person was shown: if it is
not the request's digest, the answer is refused (the person saw other values). A request nobody
answers in time expires, which counts as no.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from deskhand.database import Database, Where, describe, open_database
from deskhand.errors import ApprovalRejected, DeskhandError
from deskhand.policy.approval import ApprovalRequest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS approvals (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    step INTEGER,
    created_at TEXT NOT NULL,
    request_json TEXT NOT NULL,
    screenshot BLOB,
    digest TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    answered_at TEXT
)
"""


def ensure_approvals_table(db: Database) -> None:
    """The approvals table, made if missing (a queue does it on first use; `deskhand runs copy` before copying)."""
    with db.transaction(migrating=True):
        db.execute(_SCHEMA)


@dataclass(frozen=True, slots=True)
class QueuedApproval:
    id: str
    status: str  # pending, approved, rejected, expired
    created_at: str
    request: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "created_at": self.created_at, **self.request}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ApprovalQueue:
    """Requests and answers in one database (a SQLite file, or a ``postgresql://`` address); one connection per
    queue, opened on first use (a run polling for its answer must not open one per look)."""

    def __init__(self, path: Where) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: Database | None = None

    @contextmanager
    def _connect(self) -> Iterator[Database]:
        with self._lock:
            if self._db is None:
                db = open_database(self.path)
                ensure_approvals_table(db)
                self._db = db
            yield self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def submit(self, request: ApprovalRequest) -> str:
        approval_id = f"a-{uuid.uuid4().hex[:12]}"
        with self._connect() as db:
            db.execute(
                "INSERT INTO approvals (id, run_id, step, created_at, request_json, screenshot, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    approval_id,
                    request.run_id,
                    request.step,
                    _now(),
                    json.dumps(request.to_json(), ensure_ascii=False),
                    request.screenshot_png,
                    request.digest,
                ),
            )
        return approval_id

    def pending(self) -> list[QueuedApproval]:
        """Requests waiting for an answer, oldest first."""
        return self._select("WHERE status = 'pending' ORDER BY created_at, id", ())

    def get(self, approval_id: str) -> QueuedApproval:
        found = self._select("WHERE id = ?", (approval_id,))
        if not found:
            raise DeskhandError(
                f"No approval request {approval_id!r} in {describe(self.path)}.",
                hint="List the waiting ones with ApprovalQueue.pending().",
            )
        return found[0]

    def screenshot(self, approval_id: str) -> bytes | None:
        with self._connect() as db:
            row = db.execute("SELECT screenshot FROM approvals WHERE id = ?", (approval_id,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def answer(self, approval_id: str, approve: bool, *, digest: str | None = None) -> None:
        """Approve or refuse a pending request; ``digest``: what the person was shown (checked if given)."""
        current = self.get(approval_id)
        if current.status != "pending":
            raise ApprovalRejected(
                f"Approval request {approval_id} was already {current.status}.",
                hint="Only pending requests can be answered; the run may have moved on.",
            )
        if approve and digest is not None and digest != current.request.get("digest"):
            raise ApprovalRejected(
                f"Approval request {approval_id} was answered for other values than the run is asking about.",
                hint="Reload the request and check the values again before approving.",
            )
        with self._connect() as db:
            db.execute(
                "UPDATE approvals SET status = ?, answered_at = ? WHERE id = ? AND status = 'pending'",
                ("approved" if approve else "rejected", _now(), approval_id),
            )

    def expire(self, approval_id: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE approvals SET status = 'expired', answered_at = ? WHERE id = ? AND status = 'pending'",
                (_now(), approval_id),
            )

    def wait(
        self, approval_id: str, timeout: float, *, poll: float = 0.1, should_stop: Callable[[], bool] = lambda: False
    ) -> bool:
        """Block until the request is answered (True only for approved); expires it on timeout or stop."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.get(approval_id).status
            if status != "pending":
                return status == "approved"
            if time.monotonic() >= deadline or should_stop():
                self.expire(approval_id)
                return self.get(approval_id).status == "approved"
            time.sleep(poll)

    def _select(self, where: str, args: tuple[object, ...]) -> list[QueuedApproval]:
        with self._connect() as db:
            rows = db.execute(f"SELECT id, status, created_at, request_json FROM approvals {where}", args).fetchall()
        return [QueuedApproval(str(r[0]), str(r[1]), str(r[2]), json.loads(r[3])) for r in rows]


@dataclass
class QueueApprover:
    """Puts each request on the queue and waits for someone to answer it (no answer in time: no)."""

    queue: ApprovalQueue
    timeout: float = 300.0
    should_stop: Callable[[], bool] = lambda: False

    def decide(self, request: ApprovalRequest) -> bool:
        approval_id = self.queue.submit(request)
        return self.queue.wait(approval_id, self.timeout, should_stop=self.should_stop)
