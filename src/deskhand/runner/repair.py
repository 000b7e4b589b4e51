"""What a run needs to repair itself and be repaired later: the lock's fingerprint of a step, the forms the
earlier steps filled, the workflow file as it was run, and (``run --repair``) carrying out a failed step by
its first checked suggestion when that cannot do harm."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskhand.errors import DeskhandError
from deskhand.runner.heal import Heal
from deskhand.workflows.language import parse_step
from deskhand.workflows.lock import LockedStep
from deskhand.workflows.model import Step

if TYPE_CHECKING:
    from deskhand.runner.steps import Resolution, StepRunner

_FILLING = ("type_text", "choose", "set_checked")


def workflow_file_facts(path: str | Path) -> dict[str, str]:
    """The file's path and sha256 as run: ``deskhand fix`` refuses to patch a file edited since."""
    file = Path(path)
    try:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    return {"path": str(file.resolve()) if file.exists() else str(file), "sha256": digest}


def locked_fingerprint(prior: LockedStep | None) -> Mapping[str, Any] | None:
    """The fingerprint of the element the lock recorded for the step (its first element action)."""
    if prior is None:
        return None
    return next((a.fingerprint for a in prior.actions if a.fingerprint), None)


def filled_forms(earlier: Iterable[Resolution]) -> list[str]:
    """The forms (by DOM form id/name/action) that the earlier steps' resolutions typed into, chose in or
    ticked."""
    forms: list[str] = []
    for resolution in earlier:
        form = resolution.fingerprint.get("form")
        if resolution.kind in _FILLING and isinstance(form, str) and form and form not in forms:
            forms.append(form)
    return forms


def repair_step(step: Step, error: Mapping[str, Any], runner: StepRunner) -> tuple[list[Resolution], bool] | None:
    """Carry out ``step`` by its first suggestion when it is reversible; None when a person is needed."""
    suggestions = error.get("suggestions") or []
    if not suggestions or step.action is None:
        return None
    first = suggestions[0]
    if first.get("irreversible") or not first.get("strong"):
        return None
    action = parse_step(str(first["sentence"]))
    if action is None:
        return None
    try:
        if first.get("mode") == "insert":
            before, _ = runner.run(action)
            after, _ = runner.run(step.action)
            resolutions = [*before, *after]
        else:
            resolutions, _ = runner.run(action)
    except DeskhandError:
        return None
    new = resolutions[0].fingerprint if resolutions else {}
    runner.ctx.heals.append(
        Heal(
            step=step.n,
            sentence=step.sentence,
            proposal=str(first["sentence"]),
            old={},
            new=new,
            score=0.0,
            reasons=tuple(str(r) for r in first.get("reasons", [])),
            irreversible="",
            mode=str(first.get("mode", "replace")),
        )
    )
    return resolutions, True
