"""Every recorded step is resolved against the live tree right away, the way the runner will resolve it.

A step whose words pick out the very element the person used stays as it is; one that picks out several
gets the window as its scope (`in "<window>"`); one that still does not is kept with a comment saying why.
An element with no words of its own is named by its kind and place in reading order (`the first text
field`); a menu path is checked level by level on the tree held when the item was pressed (its menus have
closed since), the way the runner walks it.
"""

from __future__ import annotations

from dataclasses import replace

from deskhand.app.recording.step import RecordedStep
from deskhand.errors import AmbiguousMatch, BackendError, LocatorError, UnexpectedDialog
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator
from deskhand.locate.visibility import is_visible
from deskhand.runner.menus import is_item
from deskhand.runner.targets import candidate_selectors, find_target
from deskhand.tree.match import find_all
from deskhand.tree.node import Node
from deskhand.tree.order import reading_order
from deskhand.tree.roles import Role
from deskhand.tree.selector import Selector
from deskhand.tree.text import collapse_whitespace

# Steps with no element to resolve: a window, a key, a file name, an address.
_NO_ELEMENT = frozenset({"switch", "press", "save_as", "open_url"})
# The runner resolves a double click's target as a click's (``Click(count=2)``).
_RESOLVED_AS = {"double_click": "click"}


def _picks(scope: Locator, step: RecordedStep) -> tuple[str, str]:
    """``unique`` when the step's words resolve to exactly the element used, ``gone`` when nothing answers
    (the element or its window went away), else ``other``; and why."""
    try:
        kind = _RESOLVED_AS.get(step.kind, step.kind)
        found, _ = find_target(scope, kind, step.target, timeout=0, position=step.position, role=step.role)
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
    for selector in candidate_selectors(_RESOLVED_AS.get(step.kind, step.kind), step.target):
        matches = find_all(tree, selector)
        if matches:
            return len(matches) == 1 and matches[0].ref == step.ref
    return False


def check_step(desktop: Desktop, step: RecordedStep, held: Node | None) -> RecordedStep:
    """The step as it should be written: unchanged, scoped to its window, or with a note."""
    if step.kind in _NO_ELEMENT:
        return step
    if step.path:
        if held is not None and _path_walks(held, step):
            return step
        return replace(step, note=f"the menu path {step.target!r} may not be unique on replay")
    if not step.target and step.role:
        # Placed on the tree held when it was understood: the live one may show a dialog opened since.
        return _placed(held, step)
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


def _placed(held: Node | None, step: RecordedStep) -> RecordedStep:
    """An element with no words: its place among the shown elements of its kind, in reading order."""
    found = [m for m in find_all(held, Selector(role=step.role)) if is_visible(m.node)] if held is not None else []
    ordered = [m.ref for m in reading_order(found, lambda m: m.node)]
    if step.ref not in ordered:
        return replace(step, note=f"could not be checked: no shown {step.role} is the one used")
    return replace(step, position=ordered.index(step.ref))


def _path_walks(held: Node, step: RecordedStep) -> bool:
    """Each part of the path names exactly one menu item where the runner looks for it: the first in a menu
    bar, each next one inside the one before; the last is the item pressed. (Not by what is shown: a menu's
    items may not have been placed in the held tree when the item was found by its highlight.)"""
    under: Node = held
    for index, part in enumerate(step.path):
        pool = [
            n
            for n, ancestors in under.walk_with_ancestors()
            if n is not under
            and is_item(n, ancestors)
            and collapse_whitespace(n.name) == part
            and (index > 0 or _first_level(n, ancestors, alone=len(step.path) == 1))
        ]
        if len(pool) != 1 or (index == len(step.path) - 1 and pool[0].ref != step.ref):
            return False
        under = pool[0]
    return True


def _first_level(node: Node, ancestors: tuple[Node, ...], *, alone: bool) -> bool:
    """Where a path starts: a menu of a shown menu bar; an item alone is also one of a context menu (no
    menu bar above it)."""
    in_bar = any(a.role == Role.MENUBAR for a in ancestors)
    return (ancestors[-1].role == Role.MENUBAR and is_visible(node)) or (alone and not in_bar)
