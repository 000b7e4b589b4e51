"""The run store: every run, step, model call and event of deskhand, in one SQLite file or, for a fleet, in
PostgreSQL (``DESKHAND_DB=postgresql://…``; deskhand/database.py).

Each public call is its own transaction, so a crash never leaves half of a call recorded. A run still
``running`` whose owner process (on this host) is gone is marked ``interrupted`` whenever a store is opened. Every text
written (sentences, reasons, snapshots, event data, errors) first passes through ``redact``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from deskhand.database import Database, Where, is_postgres, open_database
from deskhand.errors import DeskhandError, InputError
from deskhand.runs import artifacts, orphans
from deskhand.runs.artifact_mirror import S3Mirror, mirror_from_environment
from deskhand.runs.batch_rows import BatchRows, normal_path, require
from deskhand.runs.fleet_records import FleetRecords
from deskhand.runs.home import default_artifacts_root, default_store
from deskhand.runs.migrations import migrate
from deskhand.runs.owner import Owner, this_host
from deskhand.runs.query import RunFilter, RunPage, find_runs, workflow_names
from deskhand.runs.reading import load_run, run_ids
from deskhand.runs.records import (
    ERROR_KEYS,
    RUN_KINDS,
    RUN_STATUSES,
    STEP_STATUSES,
    RunRecord,
    iso,
    new_id,
    utc_now,
)
from deskhand.runs.redaction import Redact, keep_text, redact_data
from deskhand.runs.worker_records import WorkerRecords
from deskhand.runs.workers import SILENT_AFTER_S

_LIST_HINT = "See the known runs with `deskhand runs list`."


class RunStore(BatchRows, FleetRecords, WorkerRecords):
    """Run history. ``path``: a SQLite file or a ``postgresql://`` address; by default ``$DESKHAND_DB``, else
    ``<home>/runs.db``. Artifacts go to ``artifacts_root``, by default ``$DESKHAND_ARTIFACTS``, else
    ``<db dir>/runs/`` (``<home>/runs/`` for PostgreSQL)."""

    def __init__(
        self,
        path: Where | None = None,
        *,
        redact: Redact | None = None,
        artifacts_root: Path | None = None,
        mirror: S3Mirror | None = None,
    ) -> None:
        self.path: Where = path or default_store()
        self.artifacts_root = artifacts_root or default_artifacts_root(
            None if is_postgres(self.path) else Path(self.path).parent
        )
        self.mirror = mirror if mirror is not None else mirror_from_environment(self.artifacts_root)
        self._redact: Redact = redact or keep_text
        self._lock = threading.RLock()
        self._db: Database = open_database(self.path)
        migrate(self._db)
        self._owner = Owner.current()
        self._host = this_host()
        self.mark_interrupted_runs()

    # -- lifecycle -------------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def where(self) -> str:
        """The store for people: its file, or host:port/database."""
        return self._db.where

    @contextmanager
    def _transaction(self) -> Iterator[Database]:
        with self._lock, self._db.transaction() as db:
            yield db

    def _text(self, text: str) -> str:
        return self._redact(text)

    def _json(self, data: Any) -> str:
        return json.dumps(redact_data(data, self._redact), ensure_ascii=False, default=str)

    def mark_interrupted_runs(self) -> list[str]:
        """Mark ``interrupted`` every running run whose owner process on this host is gone, and every fleet
        desktop's run that neither its desktop nor its worker has vouched for in SILENT_AFTER_S by the store's
        clock (runs/orphans.py: silent_fleet_runs); returns their ids. (Another machine's run with a live worker
        is that machine's to judge, or the fleet's by its lease: interrupt_run.)"""
        with self._transaction() as db:
            gone = orphans.orphans_on_host(db, self._host)
            now = iso(utc_now())
            for run_id in gone:
                orphans.interrupt(db, run_id, now)
            for run in orphans.silent_fleet_runs(db):
                if orphans.interrupt(db, run.run_id, now, self._json(_silent_error(run, self._host))):
                    gone.append(run.run_id)
        return gone

    def leased_runs_running(self, batch_id: str | None = None, row: int | None = None) -> list[orphans.LeasedRun]:
        """Running runs of fleet desktops (of one row, if given): each runs only while its desktop holds the
        row's lease (runs/orphans.py)."""
        with self._lock:
            return orphans.leased_runs_running(self._db, batch_id, row)

    def running_elsewhere(self) -> dict[str, orphans.RemoteRun]:
        """Runs recorded running by other machines, with the worker whose desktop runs each, if one reported
        (runs nothing vouches for any more are decided first)."""
        self.mark_interrupted_runs()
        with self._lock:
            return orphans.running_elsewhere(self._db, self._host)

    def interrupt_run(self, run_id: str, message: str) -> bool:
        """Mark a run that is still running ``interrupted``, with why; False when it had ended meanwhile."""
        error = self._json({key: None for key in ERROR_KEYS} | {"message": message})
        with self._transaction() as db:
            return orphans.interrupt(db, run_id, iso(utc_now()), error)

    # -- runs ------------------------------------------------------------------------------------------

    def _require_run(self, db: Database, run_id: str) -> None:
        if db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
            raise DeskhandError(f"No run with id {run_id!r} in {self.where}.", hint=_LIST_HINT)

    def start_run(
        self,
        workflow_path: str | Path,
        workflow_name: str,
        inputs: Mapping[str, Any],
        batch_id: str | None = None,
        row: int | None = None,
        kind: str = "workflow",
    ) -> str:
        """Record a new ``running`` run owned by this process; returns its id (``r-YYYYmmdd-HHMMSS-xxxx``).

        ``inputs`` must already be redacted by the caller (they pass ``redact`` again here). Everything is
        checked before anything is written, so a run that cannot start leaves no trace.
        """
        require(kind, RUN_KINDS, "run kind")
        try:
            inputs_json = json.dumps(redact_data(dict(inputs), self._redact), ensure_ascii=False)
        except (TypeError, ValueError) as error:
            raise InputError(
                f"The inputs of {workflow_name!r} cannot be stored: {error}.",
                hint="Inputs must be plain JSON values (text, numbers, booleans, lists, objects).",
            ) from error
        started = utc_now()
        run_id = new_id("r", started)
        with self._transaction() as db:
            if batch_id is not None:
                self._require_row(db, batch_id, row if row is not None else -1)
            db.execute(
                "INSERT INTO runs (id, kind, workflow_path, workflow_name, inputs_json, batch_id, batch_row, "
                "status, owner_pid, owner_started, owner_host, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                (
                    run_id,
                    kind,
                    self._text(normal_path(workflow_path)),
                    self._text(workflow_name),
                    inputs_json,
                    batch_id,
                    row,
                    self._owner.pid,
                    self._owner.started,
                    self._host,
                    iso(started),
                ),
            )
        return run_id

    def start_step(self, run_id: str, n: int, sentence: str) -> None:
        with self._transaction() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO steps (run_id, n, sentence, status, started_at) VALUES (?, ?, ?, 'running', ?) "
                "ON CONFLICT (run_id, n) DO UPDATE SET sentence = excluded.sentence, status = 'running', "
                "started_at = excluded.started_at, finished_at = NULL",
                (run_id, n, self._text(sentence), iso(utc_now())),
            )

    def finish_step(
        self,
        run_id: str,
        n: int,
        status: str,
        ms: int,
        *,
        healed: bool = False,
        reason: str | None = None,
        actions: list[dict[str, Any]] | None = None,
        snapshot_text: str | None = None,
        screenshot_png: bytes | None = None,
    ) -> None:
        """Close step ``n`` (succeeded, failed, blocked or skipped); artifacts go to the run's folder."""
        require(status, STEP_STATUSES - {"running"}, "step status")
        with self._lock:
            self._require_run(self._db, run_id)
        shot = snap = None
        if screenshot_png is not None:
            shot = artifacts.write_atomically(artifacts.screenshot_path(self.artifacts_root, run_id, n), screenshot_png)
        if snapshot_text is not None:
            snap = artifacts.write_atomically(
                artifacts.snapshot_path(self.artifacts_root, run_id, n), self._text(snapshot_text).encode()
            )
        for written in (shot, snap):
            if written is not None and self.mirror is not None:
                self.mirror.upload(written)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO steps (run_id, n, sentence, status, ms, healed, reason, actions_json, "
                "snapshot_path, screenshot_path, started_at, finished_at) "
                "VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (run_id, n) DO UPDATE SET status = excluded.status, ms = excluded.ms, "
                "healed = excluded.healed, reason = excluded.reason, actions_json = excluded.actions_json, "
                "snapshot_path = excluded.snapshot_path, screenshot_path = excluded.screenshot_path, "
                "finished_at = excluded.finished_at",
                (
                    run_id,
                    n,
                    status,
                    ms,
                    int(healed),
                    None if reason is None else self._text(reason),
                    self._json(actions or []),
                    None if snap is None else str(snap),
                    None if shot is None else str(shot),
                    iso(utc_now()),
                    iso(utc_now()),
                ),
            )

    def record_model_call(
        self,
        run_id: str,
        step: int | None,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        latency_ms: int,
        cost_usd: float | None,
    ) -> None:
        with self._transaction() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO model_calls (run_id, step, provider, model, input_tokens, output_tokens, "
                "latency_ms, cost_usd, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    step,
                    self._text(provider),
                    self._text(model),
                    input_tokens,
                    output_tokens,
                    latency_ms,
                    cost_usd,
                    iso(utc_now()),
                ),
            )

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None:
        """A generic event: policy decisions, approvals, blocked attempts."""
        with self._transaction() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO events (run_id, step, kind, data_json, at) VALUES (?, ?, ?, ?, ?)",
                (run_id, step, self._text(kind), self._json(dict(data)), iso(utc_now())),
            )

    def run_times(self, run_id: str) -> tuple[str, str | None]:
        """When the run began and ended (None while it runs)."""
        with self._lock:
            row = self._db.execute("SELECT started_at, finished_at FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise DeskhandError(f"No run with id {run_id!r} in {self.where}.", hint=_LIST_HINT)
        return str(row[0]), None if row[1] is None else str(row[1])

    def finish_run(self, run_id: str, status: str, error: Mapping[str, Any] | None = None) -> None:
        """Close a run. ``error``: ``step``, ``message``, ``suggestion`` and, for the report's diagnosis,
        optionally ``looked_for`` (str), ``candidates`` (list of str) and ``rewrite`` (str)."""
        require(status, RUN_STATUSES - {"running"}, "final run status")
        error_json = None
        if error is not None:
            error_json = self._json({key: None for key in ERROR_KEYS} | dict(error))
        with self._transaction() as db:
            self._require_run(db, run_id)
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, error_json = ? WHERE id = ?",
                (status, iso(utc_now()), error_json, run_id),
            )
            db.execute(
                "UPDATE steps SET status = 'interrupted', finished_at = ? WHERE run_id = ? AND status = 'running'",
                (iso(utc_now()), run_id),
            )

    def set_report_path(self, run_id: str, path: Path) -> None:
        if self.mirror is not None:
            self.mirror.upload(path)
        with self._transaction() as db:
            self._require_run(db, run_id)
            db.execute("UPDATE runs SET report_path = ? WHERE id = ?", (str(path), run_id))

    # -- queries ---------------------------------------------------------------------------------------

    def artifact(self, path: Path | None) -> Path | None:
        """``path`` (a recorded artifact), fetched from the S3 mirror first when this machine lacks it."""
        if path is not None and self.mirror is not None:
            self.mirror.fetch(path)
        return path

    def get_run(self, run_id: str) -> RunRecord:
        with self._lock:
            record = load_run(self._db, run_id)
        if record is None:
            raise DeskhandError(f"No run with id {run_id!r} in {self.where}.", hint=_LIST_HINT)
        return record

    def running_run_ids(self) -> list[str]:
        """The runs running now (whose owner is alive): what `deskhand stop` with no run id stops."""
        self.mark_interrupted_runs()
        with self._lock:
            rows = self._db.execute("SELECT id FROM runs WHERE status = 'running' ORDER BY started_at")
            return [str(run_id) for (run_id,) in rows.fetchall()]

    def list_runs(self, limit: int = 20, batch_id: str | None = None) -> list[RunRecord]:
        """The newest runs first."""
        with self._lock:
            ids = run_ids(self._db, limit, batch_id)
            return [record for run_id in ids if (record := load_run(self._db, run_id)) is not None]

    def find_runs(self, spec: RunFilter) -> RunPage:
        """A page of run lines (no steps or events) matching ``spec``, newest first; for long lists."""
        with self._lock:
            return find_runs(self._db, spec)

    def workflow_names(self) -> list[str]:
        with self._lock:
            return workflow_names(self._db)


def _silent_error(run: orphans.LeasedRun, decided_by: str) -> dict[str, Any]:
    message = (
        f"Interrupted: neither its desktop ({run.host}, pid {run.pid}) nor its worker reported to the run store "
        f"for {SILENT_AFTER_S:g} s by the store's clock (the machine died, was killed or lost the store); decided "
        f"by {decided_by} reading the store. Row {run.row + 1} of batch {run.batch_id} is decided by the batch "
        "rules (an intent is checked with verify:) when the broker delivers it again or the same command runs again."
    )
    return {key: None for key in ERROR_KEYS} | {"message": message}
