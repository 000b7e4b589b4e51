"""Every recorded step is resolved against the live tree right away, the way the runner will resolve it.

A step whose words pick out the very element the person used stays as it is; one that picks out several
gets the window as its scope (`in "<window>"`); one that still does not is kept with a comment saying why.
"""

from __future__ import annotations

from dataclasses import replace

from deskhand.app.recording.step import RecordedStep
from deskhand.errors import AmbiguousMatch, BackendError, LocatorError, UnexpectedDialog
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator
from deskhand.runner.targets import candidate_selectors, find_target
from deskhand.tree.match import find_all
from deskhand.tree.node import Node


def _picks(scope: Locator, step: RecordedStep) -> tuple[str, str]:
    """``unique`` when the step's words resolve to exactly the element used, ``gone`` when nothing answers
    (the element or its window went away), else ``other``; and why."""
    try:
        found, _ = find_target(scope, step.kind, step.target, timeout=0)
    except (AmbiguousMatch, UnexpectedDialog) as error:
        return "other", error.message
    except (LocatorError, BackendError) as error:
        return "gone", error.message
    if found.ref != step.ref:
        return "other", f"{step.target!r} resolves to another element ({found.node.role} {found.node.name!r})"
    return "unique", ""


def _picks_in(tree: Node, step: RecordedStep) -> bool:
    """The same test on the tree held when the step was understood, for an element already gone (the
    button that closed its window): the first selector that matches anything must match only it."""
    for selector in candidate_selectors(step.kind, step.target):
        matches = find_all(tree, selector)
        if matches:
            return len(matches) == 1 and matches[0].ref == step.ref
    return False


def check_step(desktop: Desktop, step: RecordedStep, held: Node | None) -> RecordedStep:
    """The step as it should be written: unchanged, scoped to its window, or with a note."""
    if step.kind in ("switch", "press"):
        return step
    scope = desktop.app(step.app).with_timeout(0)
    status, why = _picks(scope, step)
    if status == "unique":
        return step
    if status == "gone":
        if held is not None and _picks_in(held, step):
            return step
        return replace(step, note=f"could not be checked: {why}")
    if step.window and _picks(scope.window(step.window), step)[0] == "unique":
        return replace(step, within=step.window)
    return replace(step, note=f"not unique on replay: {why}")
