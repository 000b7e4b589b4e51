"""When a step fails: say which step, what was looked for, what is there instead, and what to write."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from deskhand.errors import AmbiguousMatch, DeskhandError, NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.tree.match import nearest
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a
from deskhand.workflows.model import Step

_QUOTED = re.compile(r'"([^"]*)"')


def _name_in(description: str) -> str | None:
    found = _QUOTED.search(description)
    return found.group(1) if found else None


def _rewrite(action: a.StepAction, old: str, new: str) -> str | None:
    """The step's sentence with its target text ``old`` replaced by ``new`` (canonical form)."""
    if isinstance(action, a.Click | a.SetChecked | a.Read) and action.target.text == old:
        return replace(action, target=a.Target(new, action.target.within)).sentence()
    if isinstance(action, a.TypeText) and action.into is not None and action.into.text == old:
        return replace(action, into=a.Target(new, action.into.within)).sentence()
    if isinstance(action, a.Choose) and action.field.text == old:
        return replace(action, field=a.Target(new, action.field.within)).sentence()
    if isinstance(action, a.ExpectField) and action.target.text == old:
        return replace(action, target=a.Target(new, action.target.within)).sentence()
    if isinstance(action, a.WaitFor | a.ExpectText) and action.text == old:
        return replace(action, text=new).sentence()
    return None


def _looked_for(action: a.StepAction | None) -> str | None:
    if action is None:
        return None
    targets = action.targets()
    if targets:
        return targets[0].text
    text = getattr(action, "text", None)
    return text if isinstance(text, str) else None


def diagnose(step: Step, failure: DeskhandError, desktop: Desktop, app: str | None) -> dict[str, Any]:
    """The error object of a failed run: step, message, suggestion, and what the report shows."""
    looked_for = _looked_for(step.action)
    candidates: list[str] = list(getattr(failure, "candidates", []) or [])
    if not candidates and looked_for and app and isinstance(failure, NoMatch | AmbiguousMatch):
        try:
            candidates = nearest(desktop.snapshot(app), Selector(text=looked_for), k=5)
        except DeskhandError:
            candidates = []
    suggestion = None
    if step.action is not None and looked_for and candidates and not isinstance(failure, AmbiguousMatch):
        name = _name_in(candidates[0])
        if name and name != looked_for:
            suggestion = _rewrite(step.action, looked_for, name)
    message = f"Step {step.n} ({step.sentence!r}) failed: {failure.message}"
    return {
        "step": step.n,
        "message": message,
        "suggestion": suggestion,
        "hint": failure.hint,
        "looked_for": looked_for,
        "candidates": candidates[:5],
        "rewrite": suggestion,
    }
