"""Turn the rows of the run store into records (read-only queries)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deskhand.database import Database
from deskhand.runs.records import BatchRowRecord, EventRecord, ModelCallRecord, RunRecord, StepRecord


def _path(text: str | None) -> Path | None:
    return Path(text) if text else None


def run_ids(db: Database, limit: int, batch_id: str | None) -> list[str]:
    if batch_id is None:
        rows = db.execute("SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT ?", (limit,))
    else:
        rows = db.execute(
            "SELECT id FROM runs WHERE batch_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
            (batch_id, limit),
        )
    return [str(row[0]) for row in rows]


def _step(row: tuple[Any, ...]) -> StepRecord:
    n, sentence, status, ms, healed, reason, actions, snapshot, screenshot, started_at, finished_at = row
    return StepRecord(
        n=n,
        sentence=sentence,
        status=status,
        ms=ms,
        healed=bool(healed),
        reason=reason,
        actions=tuple(json.loads(actions)),
        snapshot_path=_path(snapshot),
        screenshot_path=_path(screenshot),
        started_at=started_at,
        finished_at=finished_at,
    )


def _steps(db: Database, run_id: str) -> tuple[StepRecord, ...]:
    rows = db.execute(
        "SELECT n, sentence, status, ms, healed, reason, actions_json, snapshot_path, screenshot_path, "
        "started_at, finished_at FROM steps WHERE run_id = ? ORDER BY n",
        (run_id,),
    )
    return tuple(_step(row) for row in rows)


def _model_calls(db: Database, run_id: str) -> tuple[ModelCallRecord, ...]:
    rows = db.execute(
        "SELECT step, provider, model, input_tokens, output_tokens, latency_ms, cost_usd, at "
        "FROM model_calls WHERE run_id = ? ORDER BY id",
        (run_id,),
    )
    return tuple(ModelCallRecord(*row) for row in rows)


def _events(db: Database, run_id: str) -> tuple[EventRecord, ...]:
    rows = db.execute("SELECT step, kind, data_json, at FROM events WHERE run_id = ? ORDER BY id", (run_id,))
    return tuple(EventRecord(step, kind, json.loads(data), at) for step, kind, data, at in rows)


def load_run(db: Database, run_id: str) -> RunRecord | None:
    row = db.execute(
        "SELECT kind, status, workflow_path, workflow_name, inputs_json, batch_id, batch_row, started_at, "
        "finished_at, error_json, report_path FROM runs WHERE id = ?",
        (run_id,),
    ).fetchone()
    if row is None:
        return None
    kind, status, path, name, inputs, batch_id, batch_row, started_at, finished_at, error, report = row
    return RunRecord(
        run_id=run_id,
        kind=kind,
        status=status,
        workflow_path=path,
        workflow_name=name,
        inputs=json.loads(inputs),
        batch_id=batch_id,
        batch_row=batch_row,
        started_at=started_at,
        finished_at=finished_at,
        error=None if error is None else json.loads(error),
        report_path=_path(report),
        steps=_steps(db, run_id),
        model_calls=_model_calls(db, run_id),
        events=_events(db, run_id),
    )


def load_batch_rows(db: Database, batch_id: str) -> list[BatchRowRecord]:
    rows = db.execute(
        "SELECT row_index, input_hash, status, run_id, reason FROM batch_rows WHERE batch_id = ? ORDER BY row_index",
        (batch_id,),
    )
    return [BatchRowRecord(*row) for row in rows]
