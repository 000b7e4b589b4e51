"""Seeing what an action lands on: the element, its app, window, web page and the form around it.

The guard reads through the real backend (never through itself), so what it judges is what is on screen
now, not what a caller says it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from deskhand.backends.base import AppInfo, Backend, EventKept, offers
from deskhand.errors import NodeGone
from deskhand.policy.kept_finds import KeptFinds, find_with_ancestors
from deskhand.policy.key_effects import Widget
from deskhand.policy.rules import PRESSABLE_ROLES, Target, is_browser
from deskhand.policy.web import address_bar, page_address
from deskhand.tree.focus import focused_in
from deskhand.tree.node import Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, WINDOW_ROLES, Role, State

UNKNOWN_APP = "(unknown app)"


@dataclass(frozen=True)
class Seen:
    """An element as found in its app's tree, with the ancestors that say where it is."""

    node: Node | None
    app: str
    root: Node | None = None
    ancestors: tuple[Node, ...] = ()

    @property
    def window(self) -> Node | None:
        return next((a for a in reversed(self.ancestors) if a.role in WINDOW_ROLES), None)

    @property
    def in_web_page(self) -> bool:
        # The page's document itself counts: after a navigation it is often what holds the focus. Asked
        # several times per judged action: outside a browser it is answered before looking at any node.
        if not is_browser(self.app):
            return False
        return (self.node is not None and self.node.role == Role.DOCUMENT) or any(
            n.role == Role.DOCUMENT for n in self.ancestors
        )

    @property
    def is_address_bar(self) -> bool:
        # Only a browser has one: a file chooser's "Location" field takes a file name, not a site.
        if self.node is None or self.root is None or not is_browser(self.app):
            return False
        bar = address_bar(self.root)
        return bar is not None and bar.ref == self.node.ref

    def target(self, *, destination: str | None = None) -> Target:
        node = self.node
        in_page = self.in_web_page  # each worked out once here: the guard asks for a target per judged action
        window = self.window
        origin = page_address(self.root) if self.root is not None and is_browser(self.app) else None
        submits = (
            in_page
            and node is not None
            and node.role in TEXT_INPUT_ROLES
            and State.MULTILINE not in node.states
            and any(a.role == Role.FORM for a in self.ancestors)
        )
        return Target(
            widget=self.widget,
            app=self.app,
            role=str(node.role) if node is not None else "",
            name=node.name if node is not None else "",
            window=window.name if window is not None else "",
            in_web_page=in_page,
            origin=origin,
            destination=destination,
            submits_form=submits,
        )

    @property
    def widget(self) -> Widget:
        """The kind of widget, as the key-effect table tells them apart."""
        node = self.node
        if node is None:
            return "other"
        if self.is_address_bar:
            return "address_bar"
        if node.role in TEXT_INPUT_ROLES:
            if State.MULTILINE in node.states:
                return "multi_line_field"
            in_form = self.in_web_page and any(a.role == Role.FORM for a in self.ancestors)
            return "web_form_field" if in_form else "one_line_field"
        if node.role in PRESSABLE_ROLES or node.role in (Role.CHECKBOX, Role.RADIO, Role.SWITCH, Role.OPTION, Role.TAB):
            return "control"
        return "other"

    def form_root(self) -> Node | None:
        """Where the fields being submitted live: the web page's form, else the element's window."""
        for ancestor in reversed(self.ancestors):
            if ancestor.role == Role.FORM:
                return ancestor
        return self.window or self.root


def see_ref(backend: Backend, ref: str) -> Seen:
    """The element ``ref`` in its app's current tree (raises NodeGone when it is not there)."""
    fresh = backend.refresh(ref)
    apps = backend.applications()
    # The app the element names first; then the rest, for backends that do not fill Node.app.
    ordered = [a for a in apps if fresh.app and a.name == fresh.app] + [a for a in apps if a.name != fresh.app]
    for app in ordered:
        try:
            root = backend.snapshot(app.ref)
        except NodeGone:
            continue
        found = find_with_ancestors(root, ref)
        if found is not None:
            node, ancestors = found
            # The refreshed element is newer than the tree's copy of it.
            return Seen(replace(fresh, children=node.children), app.name, root, ancestors)
    return Seen(fresh, fresh.app or UNKNOWN_APP)


def see_kept(backend: Backend, ref: str, finds: KeptFinds | None = None) -> Seen:
    """The element ``ref`` as the backend's event-kept tree holds it now (base.EventKept: its snapshot is its
    current state, no re-read needed); as :func:`see_ref` reads it where no such tree holds it. ``finds``
    remembers where elements sit in a tree that has not changed since."""
    app_ref = cast(EventKept, backend).kept_app(ref) if offers(backend, EventKept) else None
    if app_ref is None:
        return see_ref(backend, ref)
    root = backend.snapshot(app_ref)
    found = find_with_ancestors(root, ref) if finds is None else finds.find(app_ref, root, ref)
    if found is None:
        return see_ref(backend, ref)
    node, ancestors = found
    app = root.app or next((a.name for a in backend.applications() if a.ref == app_ref), UNKNOWN_APP)
    return Seen(node, app, root, ancestors)


def see_focus(backend: Backend, remembered: str | None) -> Seen:
    """Whatever has the keyboard focus: the element last acted on if it still has it; else the app with the
    active window; else any app with a focused element. Unknown focus is reported as such (and denied)."""
    if remembered is not None:
        try:
            seen = see_ref(backend, remembered)
        except NodeGone:
            seen = None
        if seen is not None and seen.node is not None and State.FOCUSED in seen.node.states:
            return seen
    apps = backend.applications()
    active = [a for a in apps if any(w.active for w in a.windows)]
    for app in active + [a for a in apps if a not in active]:
        seen_app = _focus_of(backend, app)
        if seen_app is not None:
            return seen_app
    if active:
        return Seen(None, active[-1].name)
    return Seen(None, UNKNOWN_APP)


def _focus_of(backend: Backend, app: AppInfo) -> Seen | None:
    try:
        root = backend.snapshot(app.ref)
    except NodeGone:
        return None
    found = focused_in(root)
    if found is None:
        return None
    node, ancestors = found
    try:
        # The kept tree may not have the last keys' text yet: an Enter goes where the field holds now.
        fresh = backend.refresh(node.ref)
    except NodeGone:
        return None
    return Seen(replace(fresh, children=node.children), app.name, root, ancestors)


def hide_web_pages(root: Node, note: str) -> Node:
    """``root`` with the content of every web page taken out (the browser's own controls stay)."""

    def prune(node: Node) -> Node:
        if node.role == Role.DOCUMENT:
            return replace(node, name=note, description=note, value=None, children=())
        children = tuple(prune(c) for c in node.children)
        if all(a is b for a, b in zip(children, node.children, strict=True)):
            return node
        return replace(node, children=children)

    return prune(root)
