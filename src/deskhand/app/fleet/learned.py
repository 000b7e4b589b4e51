"""What workers learn, sent back: a desktop whose runs changed the workflow's lock (its copy beside the workflow it
received) returns the lock with the row's progress note, signed with the fleet key over the batch, the row and
the lock's SHA-256, so a broker open to others cannot slip entries into anyone's lock. The submitter checks each
signature and merges what came (by each step's sentence hash, newest last) over its own wf.lock into a proposal
beside it, ``wf.lock.proposed``; nothing is written into wf.lock until a person has seen the difference and
accepted it (`deskhand fleet lock wf.md [--accept | --reject]`), as a heal is reviewed."""

from __future__ import annotations

import difflib
import hashlib
import hmac
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from deskhand.errors import DeskhandError
from deskhand.workflows.lock import Lock, LockedStep, dump_lock, lock_path, read_lock, write_lock


def sign_lock(key: bytes, batch_id: str, row: int, lock_text: str) -> str:
    digest = hashlib.sha256(lock_text.encode("utf-8")).hexdigest()
    return hmac.new(key, f"deskhand lock back\0{batch_id}\0{row}\0{digest}".encode(), hashlib.sha256).hexdigest()


def proposal_path(workflow_path: str | Path) -> Path:
    lock = lock_path(workflow_path)
    return lock.with_name(lock.name + ".proposed")


def _parsed(text: str, origin: str) -> Lock | None:
    """The lock in ``text`` (read as the lock reader reads a file; a corrupt one is an error naming ``origin``)."""
    with tempfile.TemporaryDirectory(prefix="deskhand-lock-") as folder:
        file = Path(folder) / origin
        file.write_text(text, encoding="utf-8")
        return read_lock(file)


@dataclass
class LearnedLocks:
    """The submitter's side: locks that came back with rows, checked, merged into one proposal."""

    workflow_path: Path
    key: bytes
    steps: dict[str, LockedStep] = field(default_factory=dict)  # sentence hash -> newest step learned
    refused: list[str] = field(default_factory=list)

    def take(self, batch_id: str, row: int, lock_text: str, signature: str, machine: str) -> None:
        if not lock_text:
            return
        if not hmac.compare_digest(sign_lock(self.key, batch_id, row, lock_text), signature):
            self.refused.append(f"the lock sent back by {machine} for row {row + 1}: its signature does not match")
            return
        try:
            learned = _parsed(lock_text, f"lock of row {row + 1} from {machine}")
        except DeskhandError as error:
            self.refused.append(error.message)
            return
        for step in learned.steps if learned is not None else ():
            self.steps[step.sentence_hash] = step

    def propose(self) -> tuple[Path, int] | None:
        """Write the proposal beside wf.lock when the workers learned something it lacks; (path, steps changed)."""
        current = read_lock(lock_path(self.workflow_path))
        known = {s.sentence_hash: s for s in current.steps} if current is not None else {}
        changed = {h: s for h, s in self.steps.items() if known.get(h) != s}
        if not changed:
            return None
        merged = sorted({**known, **changed}.values(), key=lambda s: s.n)
        base = current or Lock(1, self.workflow_path.stem)
        write_lock(proposal_path(self.workflow_path), replace(base, steps=tuple(merged)))
        return proposal_path(self.workflow_path), len(changed)


def lock_review(workflow_path: Path) -> str:
    """The difference the proposal makes to wf.lock, as a unified diff ("" when there is no proposal)."""
    proposed = proposal_path(workflow_path)
    if not proposed.exists():
        return ""
    current = lock_path(workflow_path)
    before = current.read_text(encoding="utf-8") if current.exists() else ""
    after = dump_lock(_checked(proposed))
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), str(current), str(proposed)
        )
    )


def accept_lock(workflow_path: Path) -> Path:
    proposed = proposal_path(workflow_path)
    write_lock(lock_path(workflow_path), _checked(proposed))
    proposed.unlink()
    return lock_path(workflow_path)


def reject_lock(workflow_path: Path) -> None:
    proposal_path(workflow_path).unlink(missing_ok=True)


def _checked(proposed: Path) -> Lock:
    lock = read_lock(proposed)
    if lock is None:
        raise DeskhandError(
            f"There is no lock proposed by the fleet at {proposed}.",
            hint="Workers send back what they learn with each row of `deskhand run … --broker`; run a batch first.",
        )
    return lock
