"""What the run store hands out: immutable records of runs, steps, model calls and events."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

RunStatus = Literal["running", "succeeded", "failed", "interrupted", "stopped"]
StepStatus = Literal["running", "succeeded", "failed", "blocked", "skipped", "interrupted", "stopped"]
# verified: done by an earlier, interrupted run, as its workflow's `verify:` steps showed; set_aside: for a person.
RowStatus = Literal["pending", "running", "succeeded", "failed", "skipped", "verified", "set_aside"]
RunKind = Literal["workflow", "mcp", "verify"]

RUN_STATUSES: frozenset[str] = frozenset(get_args(RunStatus))
STEP_STATUSES: frozenset[str] = frozenset(get_args(StepStatus))
ROW_STATUSES: frozenset[str] = frozenset(get_args(RowStatus))
RUN_KINDS: frozenset[str] = frozenset(get_args(RunKind))

# Every error dict carries these; the report also shows "looked_for", "candidates" and "rewrite" when given.
ERROR_KEYS: tuple[str, ...] = ("step", "message", "suggestion")


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def new_id(prefix: str, moment: datetime | None = None) -> str:
    """A short id that sorts by creation time: ``r-20261125-123456-ab12``."""
    moment = moment or utc_now()
    return f"{prefix}-{moment:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def duration_ms(started_at: str, finished_at: str | None) -> int | None:
    if finished_at is None:
        return None
    delta = datetime.fromisoformat(finished_at) - datetime.fromisoformat(started_at)
    return round(delta.total_seconds() * 1000)


@dataclass(frozen=True, slots=True)
class StepRecord:
    n: int
    sentence: str
    status: str
    ms: int | None
    healed: bool
    reason: str | None
    actions: tuple[dict[str, Any], ...]
    snapshot_path: Path | None
    screenshot_path: Path | None
    started_at: str
    finished_at: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "sentence": self.sentence,
            "status": self.status,
            "ms": self.ms,
            "healed": self.healed,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ModelCallRecord:
    step: int | None
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: int
    cost_usd: float | None
    at: str


@dataclass(frozen=True, slots=True)
class EventRecord:
    step: int | None
    kind: str
    data: dict[str, Any]
    at: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run as stored. ``error`` is the full diagnosis; :meth:`to_json` keeps its stable keys only."""

    run_id: str
    kind: str
    status: str
    workflow_path: str
    workflow_name: str
    inputs: dict[str, Any]
    batch_id: str | None
    batch_row: int | None
    started_at: str
    finished_at: str | None
    error: dict[str, Any] | None
    report_path: Path | None
    steps: tuple[StepRecord, ...]
    model_calls: tuple[ModelCallRecord, ...]
    events: tuple[EventRecord, ...]

    @property
    def ms(self) -> int | None:
        return duration_ms(self.started_at, self.finished_at)

    @property
    def input_tokens(self) -> int:
        return sum(call.input_tokens for call in self.model_calls)

    @property
    def output_tokens(self) -> int:
        return sum(call.output_tokens for call in self.model_calls)

    @property
    def cost_usd(self) -> float | None:
        costs = [call.cost_usd for call in self.model_calls if call.cost_usd is not None]
        return sum(costs) if costs else None

    def to_json(self) -> dict[str, Any]:
        error = None
        if self.error is not None:
            error = {key: self.error.get(key) for key in ERROR_KEYS}
        return {
            "run_id": self.run_id,
            "status": self.status,
            "workflow": self.workflow_name,
            "batch_id": self.batch_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "steps": [step.to_json() for step in self.steps],
            "model_calls": len(self.model_calls),
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "report": str(self.report_path) if self.report_path else None,
            "error": error,
        }


@dataclass(frozen=True, slots=True)
class BatchRowRecord:
    index: int
    input_hash: str
    status: str
    run_id: str | None
    reason: str | None = None
