"""A step's sentence with its target text replaced: what a repair proposes to write instead."""

from __future__ import annotations

from dataclasses import replace

from deskhand.workflows import actions as a


def target_text(action: a.StepAction) -> str | None:
    """The text the step looks for (its element, or the text it waits for)."""
    targets = action.targets()
    if targets:
        return targets[0].text
    text = getattr(action, "text", None)
    return text if isinstance(text, str) else None


def rewrite(action: a.StepAction, new: str) -> str | None:
    """The canonical sentence of ``action`` looking for ``new`` instead; None when it names no element."""
    if isinstance(action, a.Click | a.SetChecked | a.Read | a.ExpectField):
        return replace(action, target=replace(action.target, text=new, position=None, kind=None)).sentence()
    if isinstance(action, a.TypeText) and action.into is not None:
        return replace(action, into=replace(action.into, text=new, position=None, kind=None)).sentence()
    if isinstance(action, a.Choose):
        return replace(action, field=replace(action.field, text=new, position=None, kind=None)).sentence()
    if isinstance(action, a.WaitFor | a.ExpectText):
        return replace(action, text=new).sentence()
    return None
