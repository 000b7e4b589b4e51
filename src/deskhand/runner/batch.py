"""Batches: one run per input row, under one batch id, resumable without submitting a row twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from deskhand.runner.run import Runner, RunOutcome
from deskhand.workflows.model import Workflow


class BatchStore(Protocol):
    def create_batch(
        self, workflow_path: str, rows: int, *, inputs_file_hash: str = "", row_hashes: Sequence[str] | None = None
    ) -> str: ...

    def find_batch(self, workflow_path: str, inputs_file_hash: str) -> str | None: ...

    def batch_row_status(self, batch_id: str, index: int) -> str: ...

    def mark_row(self, batch_id: str, index: int, run_id: str | None, status: str) -> None: ...

    def finish_batch(self, batch_id: str) -> None: ...


@dataclass
class BatchOutcome:
    batch_id: str
    runs: list[RunOutcome] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    unsure: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.status == "succeeded" for r in self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "runs": [r.to_json() for r in self.runs],
            "skipped_rows": self.skipped,
            "unsure_rows": self.unsure,
        }


def run_batch(
    runner: Runner,
    store: BatchStore,
    workflow: Workflow,
    rows: Sequence[Mapping[str, object]],
    *,
    inputs_file_hash: str = "",
    on_row: Callable[[int, RunOutcome | None], None] = lambda index, outcome: None,
    stop_on_failure: bool = True,
) -> BatchOutcome:
    """Run ``workflow`` once per row. An unfinished batch of the same file resumes: done rows are skipped."""
    batch_id = store.find_batch(workflow.path, inputs_file_hash) if inputs_file_hash else None
    if batch_id is None:
        batch_id = store.create_batch(workflow.path, len(rows), inputs_file_hash=inputs_file_hash)
    outcome = BatchOutcome(batch_id)
    for index, row in enumerate(rows):
        status = store.batch_row_status(batch_id, index)
        # A row that was mid-run when the batch died may have been submitted: never run it again blindly.
        if status in ("succeeded", "running"):
            outcome.skipped.append(index)
            if status == "running":
                outcome.unsure.append(index)
            on_row(index, None)
            continue
        store.mark_row(batch_id, index, None, "running")
        result = runner.run(workflow, row, batch_id=batch_id, row=index)
        store.mark_row(batch_id, index, result.run_id, "succeeded" if result.status == "succeeded" else "failed")
        outcome.runs.append(result)
        on_row(index, result)
        if result.status != "succeeded" and stop_on_failure:
            return outcome
    store.finish_batch(batch_id)
    return outcome
