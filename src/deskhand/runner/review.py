"""Healed steps waiting for a person: `deskhand heals list|accept|reject`.

A heal is recorded as a ``healed`` event of its run (the evidence: old and new element, why it matched, the
proposed sentence). Accepting writes the proposed sentence into the workflow file; rejecting drops the
step from the lock, so the next run does not quietly use the healed element again and fails with its
diagnosis instead. Either decision is recorded as an event, so a heal is decided once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskhand.errors import DeskhandError, WorkflowError
from deskhand.runs.records import RunRecord
from deskhand.runs.store import RunStore
from deskhand.workflows.edit import insert_step, replace_step
from deskhand.workflows.lock import Lock, lock_path, read_lock, write_lock
from deskhand.workflows.parse import parse_workflow
from deskhand.workflows.sentences import same_sentence

_DECISIONS = ("heal_accepted", "heal_rejected")


@dataclass(frozen=True)
class PendingHeal:
    heal_id: str
    run_id: str
    step: int
    workflow_path: str
    evidence: dict[str, Any]

    @property
    def sentence(self) -> str:
        return str(self.evidence.get("sentence", ""))

    @property
    def proposal(self) -> str:
        return str(self.evidence.get("proposal", ""))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.heal_id, "run_id": self.run_id, "workflow": self.workflow_path, **self.evidence}


def heals_of(run: RunRecord) -> list[PendingHeal]:
    """The heals of ``run`` that no one has accepted or rejected yet."""
    decided = {e.data.get("step") for e in run.events if e.kind in _DECISIONS}
    return [
        PendingHeal(f"{run.run_id}:{e.step}", run.run_id, e.step, run.workflow_path, dict(e.data))
        for e in run.events
        if e.kind == "healed" and e.step is not None and e.step not in decided
    ]


def pending_heals(store: RunStore, limit: int = 200) -> list[PendingHeal]:
    """Heals waiting for review in the newest ``limit`` runs, newest first."""
    return [heal for run in store.list_runs(limit=limit) for heal in heals_of(run)]


def find_heal(store: RunStore, heal_id: str) -> PendingHeal:
    run_id, _, step = heal_id.rpartition(":")
    if not run_id or not step.isdigit():
        raise DeskhandError(
            f"{heal_id!r} is not a heal id.",
            hint="Heal ids look like r-20260101-120000-ab12:3 (`deskhand heals list`).",
        )
    found = next((h for h in heals_of(store.get_run(run_id)) if h.step == int(step)), None)
    if found is None:
        raise DeskhandError(
            f"Run {run_id} has no heal of step {step} waiting for review.",
            hint="`deskhand heals list` shows the heals still waiting.",
        )
    return found


def accepted_text(heal: PendingHeal) -> tuple[str, str]:
    """The workflow file's text now and as accepting ``heal`` would write it (the console shows the diff)."""
    path = Path(heal.workflow_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise WorkflowError(f"Cannot read {path}: {error}.", file=str(path), hint="Was it moved?") from None
    workflow = parse_workflow(text, str(path), allow_free_form=True)
    step = workflow.steps[heal.step - 1] if 1 <= heal.step <= len(workflow.steps) else None
    if step is None or not same_sentence(step.sentence, heal.sentence):
        shown = repr(step.sentence) if step is not None else "nothing"
        raise WorkflowError(
            f"Step {heal.step} of {path} now reads {shown}, not {heal.sentence!r} as when it healed; "
            "the file was not touched.",
            file=str(path),
            line=step.line if step is not None else 0,
            hint=f"Reject the heal (deskhand heals reject {heal.heal_id}) and run the workflow again.",
        )
    if heal.evidence.get("mode") == "insert":
        return text, insert_step(text, workflow, heal.step, heal.proposal)
    return text, replace_step(text, workflow, heal.step, heal.proposal)


def accept(store: RunStore, heal: PendingHeal) -> str:
    """Write the heal's sentence into the workflow file; returns the file's new text."""
    _, new_text = accepted_text(heal)
    Path(heal.workflow_path).write_text(new_text, encoding="utf-8")
    store.record_event(heal.run_id, heal.step, "heal_accepted", {"step": heal.step, "sentence": heal.proposal})
    return new_text


def rejected_lock(heal: PendingHeal) -> tuple[Lock, Lock] | None:
    """The lock now and as rejecting ``heal`` would write it (the console shows the diff); None when
    rejecting leaves the lock as it is (no lock, or no entry for the step's sentence)."""
    path = Path(heal.workflow_path)
    lock = read_lock(lock_path(path))
    if lock is None or not path.exists():
        return None
    workflow = parse_workflow(path.read_text(encoding="utf-8"), str(path), allow_free_form=True)
    hashes = {workflow.step_hash(s) for s in workflow.steps if same_sentence(s.sentence, heal.sentence)}
    kept = tuple(s for s in lock.steps if s.sentence_hash not in hashes)
    if len(kept) == len(lock.steps):
        return None
    return lock, type(lock)(lock.version, lock.workflow_name, kept)


def reject(store: RunStore, heal: PendingHeal) -> None:
    """Forget the healed element in the lock, so the next run stops at the step instead of reusing it."""
    change = rejected_lock(heal)
    if change is not None:
        write_lock(lock_path(Path(heal.workflow_path)), change[1])
    store.record_event(heal.run_id, heal.step, "heal_rejected", {"step": heal.step})
