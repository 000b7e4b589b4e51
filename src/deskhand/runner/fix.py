"""`deskhand fix RUN_ID`: the failed run's checked suggestion, as a change to the workflow file.

The plan is made only when it is safe: the run failed, the file is byte for byte the one that ran (its
sha256 was recorded at the start of the run), and the diagnosis holds a suggestion. Otherwise a clear
error says which of these is not so, and the file is not touched.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskhand.errors import DeskhandError, WorkflowError
from deskhand.runner.repair import workflow_file_facts
from deskhand.runs.records import RunRecord
from deskhand.workflows.edit import insert_step, replace_step
from deskhand.workflows.parse import parse_workflow


@dataclass(frozen=True)
class FixPlan:
    path: Path
    old_text: str
    new_text: str
    step: int
    chosen: dict[str, Any]
    others: list[dict[str, Any]]

    @property
    def diff(self) -> str:
        name = str(self.path)
        lines = difflib.unified_diff(
            self.old_text.splitlines(keepends=True), self.new_text.splitlines(keepends=True), name, name
        )
        return "".join(lines)

    def apply(self) -> None:
        if self.path.read_text(encoding="utf-8") != self.old_text:
            raise WorkflowError(
                f"{self.path} changed while the fix was shown; it was not touched.",
                file=str(self.path),
                hint="Run `deskhand fix` again.",
            )
        self.path.write_text(self.new_text, encoding="utf-8")


def plan_fix(run: RunRecord, pick: int = 1) -> FixPlan:
    """The change that applies suggestion ``pick`` (1 = the best) of the failed ``run``."""
    if run.status != "failed" or run.error is None:
        raise DeskhandError(
            f"Run {run.run_id} did not fail (it {run.status}); there is nothing to fix.",
            hint="`deskhand fix` takes the id of a failed run (see `deskhand runs list`); "
            "healed steps of a successful run are reviewed with `deskhand heals list`.",
        )
    path = Path(run.workflow_path)
    recorded = next((e.data for e in run.events if e.kind == "workflow_file"), None)
    now = workflow_file_facts(path)
    if recorded is None or not now["sha256"] or recorded.get("sha256") != now["sha256"]:
        raise WorkflowError(
            f"{path} was edited (or moved) since run {run.run_id}; the run's suggestions may not fit it any "
            "more, so it was not touched.",
            file=str(path),
            hint="Run the workflow again and fix the new run.",
        )
    suggestions: list[dict[str, Any]] = list(run.error.get("suggestions") or [])
    step_n = run.error.get("step")
    if not suggestions or not isinstance(step_n, int):
        message = run.error.get("message") or "no message"
        raise DeskhandError(
            f"Run {run.run_id} failed ({message}) but deskhand found no sentence that works on the screen "
            "as it was; the file was not touched.",
            hint="Edit the step by hand: the run's report lists what was on screen "
            f"({run.report_path or 'deskhand runs show ' + run.run_id}).",
        )
    if not 1 <= pick <= len(suggestions):
        raise DeskhandError(
            f"Run {run.run_id} has {len(suggestions)} suggestion(s); there is no number {pick}.",
            hint=f"Pick one of 1..{len(suggestions)}.",
        )
    chosen = suggestions[pick - 1]
    old_text = path.read_text(encoding="utf-8")
    workflow = parse_workflow(old_text, str(path), allow_free_form=True)
    sentence = str(chosen["sentence"])
    if chosen.get("mode") == "insert":
        new_text = insert_step(old_text, workflow, step_n, sentence)
    else:
        new_text = replace_step(old_text, workflow, step_n, sentence)
    others = [s for index, s in enumerate(suggestions) if index != pick - 1]
    return FixPlan(path, old_text, new_text, step_n, chosen, others)
