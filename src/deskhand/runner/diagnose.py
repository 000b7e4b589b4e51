"""When a step fails: say which step, what was looked for, what is there instead, and what to write.

The suggestions come from ``runner.suggestions``: ranked by what the action can act on, the lock's
fingerprint, the structure of the form and the wording, and each checked on the screen before it is shown.
A step that stopped because its heal needs a person (``HealNeedsReview``) proposes the healed sentence,
with the evidence for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deskhand.errors import AmbiguousMatch, DeskhandError, HealNeedsReview, LocatorError, NoMatch, UnexpectedDialog
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator
from deskhand.runner.rewrite import target_text, which_one
from deskhand.runner.suggestions import Suggestion, suggest
from deskhand.tree.match import nearest
from deskhand.tree.selector import Selector
from deskhand.workflows.model import Step


def diagnose(
    step: Step,
    failure: DeskhandError,
    desktop: Desktop,
    app: str | None,
    *,
    fingerprint: Mapping[str, Any] | None = None,
    filled_forms: Sequence[str] = (),
) -> dict[str, Any]:
    """The error object of a failed run: step, message, suggestions (top three, with reasons), evidence."""
    looked_for = target_text(step.action) if step.action is not None else None
    candidates: list[str] = list(getattr(failure, "candidates", []) or [])
    if not candidates and looked_for and app and isinstance(failure, NoMatch | AmbiguousMatch):
        try:
            candidates = nearest(desktop.snapshot(app), Selector(text=looked_for), k=5)
        except DeskhandError:
            candidates = []
    suggestions: list[Suggestion] = []
    evidence: dict[str, object] | None = None
    if isinstance(failure, HealNeedsReview):
        evidence = failure.evidence
        given = failure.evidence.get("why")
        why = tuple(str(reason) for reason in given) if isinstance(given, list) else ()
        meaning = str(failure.evidence.get("irreversible") or "")
        checked = (*why, "checked: it finds this element now")
        suggestions = [Suggestion(failure.proposal, checked, "replace", meaning, strong=True)]
    elif step.action is not None and isinstance(failure, LocatorError | UnexpectedDialog):
        if isinstance(failure, AmbiguousMatch):
            # Look-alikes are told apart in the step language by their place, not by a selector's nth=.
            by_place = which_one(step.action, len(failure.candidates)) if failure.hint.startswith("Narrow") else None
            if by_place is not None:
                failure.hint = by_place
            return _error(step, failure, looked_for, candidates, [], None)
        scope = desktop.app(app) if app else Locator(desktop)
        in_way = isinstance(failure, UnexpectedDialog)
        try:
            suggestions = suggest(scope, step.action, fingerprint, filled_forms, dialog_in_way=in_way)
        except DeskhandError:
            suggestions = []
    return _error(step, failure, looked_for, candidates, suggestions, evidence)


def _error(
    step: Step,
    failure: DeskhandError,
    looked_for: str | None,
    candidates: list[str],
    suggestions: list[Suggestion],
    evidence: dict[str, object] | None,
) -> dict[str, Any]:
    first = suggestions[0] if suggestions else None
    suggestion = None
    if first is not None:
        suggestion = first.sentence if first.mode == "replace" else f"{first.sentence}  (as a new step before {step.n})"
    return {
        "step": step.n,
        "message": f"Step {step.n} ({step.sentence!r}) failed: {failure.message}",
        "suggestion": suggestion,
        "hint": failure.hint,
        "looked_for": looked_for,
        "candidates": candidates[:5],
        "rewrite": first.sentence if first is not None and first.mode == "replace" else None,
        "suggestions": [s.to_json() for s in suggestions],
        "evidence": evidence,
    }
