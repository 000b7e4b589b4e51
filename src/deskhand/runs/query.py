"""Find runs by workflow, status, batch, day and words: one SQL query per page, for lists of many runs.

:meth:`RunStore.list_runs` loads every step, event and model call of each run; a list of thousands only
needs a line per run, so this reads the runs table and counts steps in the same query (indexes by start
time and status keep it fast at 10,000 runs; ``benchmarks/console.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from deskhand.database import Database
from deskhand.errors import InputError
from deskhand.runs.records import RUN_STATUSES, duration_ms


@dataclass(frozen=True, slots=True)
class RunFilter:
    """What to list; empty means any. ``day`` is a date (runs started that day, UTC); ``words`` are looked
    for in the run id, the workflow's name, the error and the steps' sentences."""

    workflow: str = ""
    status: str = ""
    batch_id: str = ""
    day: str = ""
    words: str = ""
    limit: int = 100
    offset: int = 0

    def checked(self) -> RunFilter:
        if self.status and self.status not in RUN_STATUSES:
            raise InputError(
                f"{self.status!r} is not a run status.", hint=f"Use one of: {', '.join(sorted(RUN_STATUSES))}."
            )
        if self.day:
            try:
                date.fromisoformat(self.day)
            except ValueError:
                raise InputError(f"{self.day!r} is not a date.", hint="Write it as YYYY-MM-DD.") from None
        if self.limit < 1 or self.offset < 0:
            raise InputError(f"limit {self.limit}, offset {self.offset}: out of range.", hint="limit ≥ 1, offset ≥ 0.")
        return self


@dataclass(frozen=True, slots=True)
class RunLine:
    """One run in a list: no steps, events or model calls, only what a list shows."""

    run_id: str
    kind: str
    status: str
    workflow_name: str
    workflow_path: str
    batch_id: str | None
    batch_row: int | None
    started_at: str
    finished_at: str | None
    steps: int
    steps_done: int
    error_message: str | None

    @property
    def ms(self) -> int | None:
        return duration_ms(self.started_at, self.finished_at)


@dataclass(frozen=True, slots=True)
class RunPage:
    lines: tuple[RunLine, ...]
    total: int  # how many runs match, all pages


def _where(spec: RunFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if spec.workflow:
        clauses.append("r.workflow_name = ?")
        args.append(spec.workflow)
    if spec.status:
        clauses.append("r.status = ?")
        args.append(spec.status)
    if spec.batch_id:
        clauses.append("r.batch_id = ?")
        args.append(spec.batch_id)
    if spec.day:
        start = date.fromisoformat(spec.day)
        # Stored times are ISO with an offset (+00:00), so text order is time order within a day.
        clauses.append("r.started_at >= ? AND r.started_at < ?")
        args += [start.isoformat(), (start + timedelta(days=1)).isoformat()]
    if spec.words:
        ascii_lower = "".join(c.lower() if c.isascii() else c for c in spec.words)  # as lower() in SQL does
        like = "%" + ascii_lower.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            # lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            "(lower(r.id) LIKE ? ESCAPE '\\' OR lower(r.workflow_name) LIKE ? ESCAPE '\\' "
            "OR lower(r.error_json) LIKE ? ESCAPE '\\' "
            "OR EXISTS (SELECT 1 FROM steps s WHERE s.run_id = r.id AND lower(s.sentence) LIKE ? ESCAPE '\\'))"
        )
        args += [like] * 4
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _message(error_json: str | None) -> str | None:
    if not error_json:
        return None
    message = json.loads(error_json).get("message")
    return None if message is None else str(message)


def find_runs(db: Database, spec: RunFilter) -> RunPage:
    """The page of runs ``spec`` asks for, newest first, and how many match in all."""
    spec = spec.checked()
    where, args = _where(spec)
    total = db.execute(f"SELECT count(*) FROM runs r{where}", args).fetchone()[0]
    rows = db.execute(
        "SELECT r.id, r.kind, r.status, r.workflow_name, r.workflow_path, r.batch_id, r.batch_row, r.started_at, "
        "r.finished_at, r.error_json, "
        "(SELECT count(*) FROM steps s WHERE s.run_id = r.id), "
        "(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'succeeded') "
        f"FROM runs r{where} ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?",
        [*args, spec.limit, spec.offset],
    )
    lines = tuple(
        RunLine(
            run_id=row[0],
            kind=row[1],
            status=row[2],
            workflow_name=row[3],
            workflow_path=row[4],
            batch_id=row[5],
            batch_row=row[6],
            started_at=row[7],
            finished_at=row[8],
            steps=row[10],
            steps_done=row[11],
            error_message=_message(row[9]),
        )
        for row in rows
    )
    return RunPage(lines, int(total))


def workflow_names(db: Database) -> list[str]:
    """Every workflow name in the store, for a filter's choices."""
    return [str(name) for (name,) in db.execute("SELECT DISTINCT workflow_name FROM runs ORDER BY workflow_name")]
