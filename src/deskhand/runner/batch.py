"""Batches: one run per input row, under one batch id, resumable without submitting a row twice.

Exactly once: the guard records an intent before each irreversible action (runs.intents). A row that was
running or failed when the batch stopped is safe to run again only if none of its runs recorded one;
otherwise the workflow's `verify:` steps decide (done → ``verified``; not done → run; cannot tell, after
looking again (runner/verify_row.py) → the row is set aside for a person, with the reason, and
``on_set_aside`` is told; a check stopped on request stops the batch and is made again on resume)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from deskhand.runner.run import Runner, RunOutcome
from deskhand.runner.verify_row import Intent, verify_row
from deskhand.workflows.model import Workflow


class BatchStore(Protocol):
    def create_batch(
        self, workflow_path: str, rows: int, *, inputs_file_hash: str = "", row_hashes: Sequence[str] | None = None
    ) -> str: ...

    def find_batch(self, workflow_path: str, inputs_file_hash: str) -> str | None: ...

    def batch_row_status(self, batch_id: str, index: int) -> str: ...

    def mark_row(
        self, batch_id: str, index: int, run_id: str | None, status: str, *, reason: str | None = None
    ) -> None: ...

    def finish_batch(self, batch_id: str) -> None: ...

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None: ...


class RowIntents(Protocol):
    """The intents recorded by a row's runs (deskhand.runs.intents.IntentLog fits)."""

    def for_row(self, batch_id: str, row: int) -> Sequence[Intent]: ...


class NoIntents:
    def for_row(self, batch_id: str, row: int) -> Sequence[Intent]:
        return ()


@dataclass(frozen=True, slots=True)
class SetAside:
    batch_id: str
    row: int
    reason: str
    run_id: str | None


@dataclass
class BatchOutcome:
    batch_id: str
    runs: list[RunOutcome] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    verified: list[int] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    # Rows whose check was stopped on request before it decided: checked again when the batch resumes.
    unchecked: list[int] = field(default_factory=list)

    @property
    def unsure(self) -> list[int]:
        return [item.row for item in self.set_aside]

    @property
    def ok(self) -> bool:
        return all(r.status == "succeeded" for r in self.runs) and not self.set_aside and not self.unchecked

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "runs": [r.to_json() for r in self.runs],
            "skipped_rows": self.skipped,
            "verified_rows": self.verified,
            "unsure_rows": self.unsure,
            "unchecked_rows": self.unchecked,
            "set_aside": [{"row": item.row, "reason": item.reason, "run_id": item.run_id} for item in self.set_aside],
        }


DONE = ("succeeded", "verified")


def run_batch(
    runner: Runner,
    store: BatchStore,
    workflow: Workflow,
    rows: Sequence[Mapping[str, object]],
    *,
    inputs_file_hash: str = "",
    intents: RowIntents | None = None,
    on_row: Callable[[int, RunOutcome | None], None] = lambda index, outcome: None,
    on_set_aside: Callable[[SetAside], object] = lambda item: None,
    stop_on_failure: bool = True,
    claim: Callable[[str, int], bool] | None = None,
    finish: bool = True,
    batch_id: str | None = None,
) -> BatchOutcome:
    """Run ``workflow`` once per row. An unfinished batch of the same inputs resumes: done rows are skipped;
    a row whose run recorded an intent before an irreversible action is checked by `verify:` first, and run
    again only when the check says it is not done; when the check cannot tell, the row is set aside.
    ``batch_id``: the batch these rows belong to (a fleet worker's row), instead of finding it by inputs."""
    intents = intents or NoIntents()
    if batch_id is None and inputs_file_hash:
        batch_id = store.find_batch(workflow.path, inputs_file_hash)
    if batch_id is None:
        batch_id = store.create_batch(workflow.path, len(rows), inputs_file_hash=inputs_file_hash)
    outcome = BatchOutcome(batch_id)
    for index, row in enumerate(rows):
        if claim is not None and not claim(batch_id, index):
            continue  # another desktop of this pass has it (or the pass stopped at a failure)
        status = store.batch_row_status(batch_id, index)
        if status in (*DONE, "set_aside"):
            outcome.skipped.append(index)
            on_row(index, None)
            continue
        recorded = intents.for_row(batch_id, index) if status in ("running", "failed") else ()
        if recorded:
            store.mark_row(batch_id, index, None, "running", reason="checking with verify:")
            verdict = verify_row(runner, workflow, row, recorded, batch_id=batch_id, row=index, sleep=runner.sleep)
            if verdict.interrupted:
                # Stopped on request mid-check: no answer either way; the row is checked again on resume.
                store.mark_row(batch_id, index, verdict.run_id, "failed", reason=verdict.reason)
                outcome.unchecked.append(index)
                on_row(index, None)
                return outcome
            if verdict.done is True:
                store.mark_row(batch_id, index, verdict.run_id, "verified", reason=verdict.reason)
                _note(store, verdict.run_id, "row_verified", batch_id, index, verdict.reason)
                outcome.skipped.append(index)
                outcome.verified.append(index)
                on_row(index, None)
                continue
            if verdict.done is None:
                item = SetAside(batch_id, index, verdict.reason, verdict.run_id or recorded[-1].run_id)
                store.mark_row(batch_id, index, None, "set_aside", reason=verdict.reason)
                _note(store, item.run_id, "row_set_aside", batch_id, index, verdict.reason)
                outcome.set_aside.append(item)
                on_set_aside(item)
                on_row(index, None)
                continue
        # No intent: nothing irreversible was sent by an earlier try, so the row runs (again) from its start.
        store.mark_row(batch_id, index, None, "running")
        result = runner.run(workflow, row, batch_id=batch_id, row=index)
        store.mark_row(batch_id, index, result.run_id, "succeeded" if result.status == "succeeded" else "failed")
        outcome.runs.append(result)
        on_row(index, result)
        if result.status != "succeeded" and stop_on_failure:
            return outcome
    if finish and not outcome.set_aside:
        store.finish_batch(batch_id)
    return outcome


def _note(store: BatchStore, run_id: str | None, kind: str, batch_id: str, row: int, reason: str) -> None:
    """The decision, as an event of the run that made it (the console shows a run's events)."""
    if run_id:
        store.record_event(run_id, None, kind, {"batch_id": batch_id, "row": row + 1, "reason": reason})
