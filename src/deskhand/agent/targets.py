"""Turning an element the model pointed at (by ref) into a selector that finds it again on a later run.

A ref lives only as long as one agent session; the lock needs a description that survives a restart of the
app. We try, in order: role + exact name, role + label, role + placeholder, each of those inside its window,
and last the element's position among its role (``role=textbox >> nth=2``). A candidate is kept only if it
resolves, through the same locator machinery a replay uses, to exactly this element and no other.
"""

from __future__ import annotations

from collections.abc import Iterator

from deskhand.errors import DeskhandError, LocatorError, NoMatch
from deskhand.locate.locator import Locator
from deskhand.locate.view import DesktopView
from deskhand.tree.match import label_of, positional_labels
from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES, Role
from deskhand.tree.selector import Selector


def find_element(desktop: DesktopView, backend_ref: str, prefer_app: str | None) -> tuple[str, Node, tuple[Node, ...]]:
    """The app name, node and ancestors of ``backend_ref`` as of now; the preferred app is searched first.

    Raises NoMatch when no application holds the element any more.
    """
    apps = desktop.apps()
    ordered = sorted(apps, key=lambda app: app.name != prefer_app)
    for app in ordered:
        try:
            root = desktop.backend.snapshot(app.ref)
        except DeskhandError:
            continue  # an app that vanished meanwhile cannot hold the element
        for node, ancestors in root.walk_with_ancestors():
            if node.ref == backend_ref:
                return app.name, node, ancestors
    raise NoMatch(
        "That element is no longer on screen (its window closed or the app redrew it).",
        hint="Look at the latest snapshot and use a ref shown there.",
    )


def stable_selector(desktop: DesktopView, app_name: str, backend_ref: str) -> Selector:
    """A selector that finds exactly ``backend_ref`` in ``app_name`` now, preferring the most readable one."""
    _, node, ancestors = find_element(desktop, backend_ref, app_name)
    root = ancestors[0] if ancestors else node
    scope = Locator(desktop, app_name=app_name)
    for selector in _candidates(node, ancestors, root, scope):
        if _finds_only(scope, selector, backend_ref):
            return selector
    raise NoMatch(
        f"Could not describe the {node.role} {node.name!r} so that it can be found again.",
        hint="It may be hidden behind another element; act on a visible element instead.",
    )


def _candidates(node: Node, ancestors: tuple[Node, ...], root: Node, scope: Locator) -> Iterator[Selector]:
    role = node.role
    own: list[Selector] = []
    label = label_of(node, {n.ref: n for n in root.walk()}, positional_labels(root))
    # A combo box is often named after its current choice, which the step itself may change: its label lasts.
    by_label = Selector(role=role, label=label, exact=True) if label else None
    if by_label is not None and (role == Role.COMBOBOX or not node.name):
        own.append(by_label)
    if node.name:
        own.append(Selector(role=role, name=node.name, exact=True))
    if not node.name and node.placeholder:
        own.append(Selector(role=role, placeholder=node.placeholder, exact=True))
    yield from own
    window = next((a for a in reversed(ancestors) if a.role in WINDOW_ROLES and a.name), None)
    window_selector = Selector(role=window.role, name=window.name, exact=True) if window is not None else None
    if window_selector is not None:
        yield from (selector.scoped_to(window_selector) for selector in own)
    # Last resort: the position among elements of the same role, as the locator counts them.
    bases = [Selector(role=role)]
    if window_selector is not None:
        bases.append(Selector(role=role).scoped_to(window_selector))
    for base in bases:
        position = _position(scope, base, node.ref)
        if position is not None:
            yield base.with_nth(position)


def _position(scope: Locator, selector: Selector, backend_ref: str) -> int | None:
    try:
        pool = scope.locator(selector).resolve_all()
    except LocatorError:
        return None
    return next((index for index, found in enumerate(pool) if found.ref == backend_ref), None)


def _finds_only(scope: Locator, selector: Selector, backend_ref: str) -> bool:
    try:
        found = scope.locator(selector).resolve_all()
    except LocatorError:
        return False
    return len(found) == 1 and found[0].ref == backend_ref
