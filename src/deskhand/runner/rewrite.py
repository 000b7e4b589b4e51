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


def at_position(action: a.StepAction, position: int) -> str | None:
    """The canonical sentence of ``action`` picking the match at ``position`` (`Click the last "Menu"`)."""
    if isinstance(action, a.Click | a.SetChecked | a.Read | a.ExpectField):
        return replace(action, target=replace(action.target, position=position)).sentence()
    if isinstance(action, a.TypeText) and action.into is not None:
        return replace(action, into=replace(action.into, position=position)).sentence()
    if isinstance(action, a.Choose):
        return replace(action, field=replace(action.field, position=position)).sentence()
    return None


def which_one(action: a.StepAction, count: int) -> str | None:
    """A hint naming look-alikes by their place, in the step language: ``count`` elements matched."""
    places = [0, 1, -1] if count >= 3 else [0, -1] if count == 2 else []
    sentences = [s for place in places if (s := at_position(action, place)) is not None]
    if not sentences:
        return None
    return "Say which one by its place on screen (top to bottom, then left to right): " + " | ".join(
        f"`{sentence}`" for sentence in sentences
    )
