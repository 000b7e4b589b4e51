"""A run store's batches: one row per input row, its status, and finding an unfinished batch to resume."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from deskhand.database import Database
from deskhand.errors import DeskhandError, InputError
from deskhand.runs.reading import load_batch_rows
from deskhand.runs.records import ROW_STATUSES, BatchRowRecord, iso, new_id, utc_now


def require(value: str, allowed: frozenset[str], what: str) -> None:
    if value not in allowed:
        raise DeskhandError(f"{value!r} is not a {what}.", hint=f"Use one of: {', '.join(sorted(allowed))}.")


def normal_path(path: str | Path) -> str:
    """A workflow's path as batches are keyed by it."""
    return str(Path(path).expanduser().resolve()) if str(path) else ""


class BatchRows:
    """The batches half of :class:`~deskhand.runs.store.RunStore`."""

    _db: Database
    _lock: threading.RLock
    _transaction: Callable[[], AbstractContextManager[Database]]
    _text: Callable[[str], str]

    def create_batch(
        self,
        workflow_path: str | Path,
        rows: int,
        *,
        inputs_file_hash: str = "",
        row_hashes: Sequence[str] | None = None,
    ) -> str:
        """A new batch of ``rows`` pending rows (indexes ``0 .. rows-1``); returns its id."""
        if rows < 0 or (row_hashes is not None and len(row_hashes) != rows):
            raise InputError(
                f"A batch of {rows} rows was given {len(row_hashes or [])} row hashes.",
                hint="Pass one hash per row (deskhand.runs.fingerprint.inputs_fingerprint).",
            )
        batch_id = new_id("b")
        now = iso(utc_now())
        hashes = list(row_hashes) if row_hashes is not None else [""] * rows
        with self._transaction() as db:
            db.execute(
                "INSERT INTO batches (id, workflow_path, inputs_file_hash, rows, created_at) VALUES (?, ?, ?, ?, ?)",
                (batch_id, self._text(normal_path(workflow_path)), inputs_file_hash, rows, now),
            )
            db.executemany(
                "INSERT INTO batch_rows (batch_id, row_index, input_hash, status, updated_at) "
                "VALUES (?, ?, ?, 'pending', ?)",
                [(batch_id, index, row_hash, now) for index, row_hash in enumerate(hashes)],
            )
        return batch_id

    def _require_row(self, db: Database, batch_id: str, index: int) -> None:
        found = db.execute(
            "SELECT 1 FROM batch_rows WHERE batch_id = ? AND row_index = ?", (batch_id, index)
        ).fetchone()
        if found is None:
            raise DeskhandError(
                f"Batch {batch_id!r} has no row {index}.",
                hint="Rows are numbered from 0; create the batch with create_batch(path, rows) first.",
            )

    def batch_row_status(self, batch_id: str, index: int) -> str:
        """``pending``, ``running``, ``succeeded``, ``failed`` or ``skipped``."""
        with self._lock:
            self._require_row(self._db, batch_id, index)
            row = self._db.execute(
                "SELECT status FROM batch_rows WHERE batch_id = ? AND row_index = ?", (batch_id, index)
            ).fetchone()
        return str(row[0])

    def batch_rows(self, batch_id: str) -> list[BatchRowRecord]:
        with self._lock:
            return load_batch_rows(self._db, batch_id)

    def mark_row(
        self, batch_id: str, index: int, run_id: str | None, status: str, *, reason: str | None = None
    ) -> None:
        """Set a row's status (``reason``: why it was verified done or set aside, for people)."""
        require(status, ROW_STATUSES, "batch row status")
        with self._transaction() as db:
            self._require_row(db, batch_id, index)
            db.execute(
                "UPDATE batch_rows SET run_id = COALESCE(?, run_id), status = ?, reason = ?, updated_at = ? "
                "WHERE batch_id = ? AND row_index = ?",
                (run_id, status, None if reason is None else self._text(reason), iso(utc_now()), batch_id, index),
            )

    def finish_batch(self, batch_id: str) -> None:
        """Close a batch so that :meth:`find_batch` no longer offers it for resuming."""
        with self._transaction() as db:
            db.execute("UPDATE batches SET finished_at = ? WHERE id = ?", (iso(utc_now()), batch_id))

    def find_batch(self, workflow_path: str | Path, inputs_file_hash: str) -> str | None:
        """The newest unfinished batch of the same workflow and inputs file, to resume; else None."""
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM batches WHERE workflow_path = ? AND inputs_file_hash = ? "
                "AND finished_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1",
                (self._text(normal_path(workflow_path)), inputs_file_hash),
            ).fetchone()
        return None if row is None else str(row[0])
