"""Modal dialogs that stand in a step's way ("Save changes?", "Restore session?", a JavaScript alert).

A person who meets one stops and answers it; a step whose target is not on screen while such a dialog is
up fails at once, naming the dialog, its text and its buttons, with the sentences that would answer it,
instead of waiting out its timeout behind the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.backends.base import AppInfo
from deskhand.errors import NodeGone, UnexpectedDialog
from deskhand.locate.commit import norm
from deskhand.locate.scopes import apps_by_scope
from deskhand.locate.view import DesktopView
from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

_TEXT_ROLES = frozenset({Role.LABEL, Role.TEXT, Role.PARAGRAPH, Role.STATUS, Role.HEADING})
_MAX_BUTTONS = 6


@dataclass(frozen=True)
class Dialog:
    app: str
    title: str
    text: tuple[str, ...]
    buttons: tuple[str, ...]
    node: Node

    def sentences(self) -> list[str]:
        where = f' in "{self.title}"' if self.title else ""
        return [f'Click "{button}"{where}' for button in self.buttons]

    def error(self, doing: str) -> UnexpectedDialog:
        said = " ".join(self.text)
        buttons = ", ".join(f'"{b}"' for b in self.buttons) or "none"
        message = (
            f"A dialog {self.title!r} of {self.app} is open and in the way of {doing}"
            + (f": {said!r}" if said else "")
            + f" (buttons: {buttons})."
        )
        choices = self.sentences()
        hint = (
            "Answer it with a step before this one: " + " | ".join(f"`{s}`" for s in choices)
            if choices
            else "Close it with a step before this one (`Press Escape`)."
        )
        return UnexpectedDialog(message, hint=hint, dialog=self.title, buttons=list(self.buttons))


def is_blocking(node: Node, ancestors: tuple[Node, ...]) -> bool:
    """A shown dialog or alert that says it is modal (GTK's questions do; Chromium's alert() sheet is
    marked so by the composite backend, as CDP says the page waits for it; a "Save password?" bubble a
    person may ignore is not modal)."""
    del ancestors  # where it sits does not matter: whether it holds the app does
    return node.role in (Role.ALERT, Role.DIALOG) and State.MODAL in node.states and is_visible(node)


def describe_dialog(app: str, node: Node) -> Dialog:
    buttons: list[str] = []
    text: list[str] = []
    for child in node.walk():
        if child is node or not is_visible(child) or not child.name:
            continue
        if child.role == Role.BUTTON and child.name not in buttons:
            buttons.append(child.name)
        elif child.role in _TEXT_ROLES and child.name not in text and child.name != node.name:
            text.append(child.name)
    return Dialog(app, node.name, tuple(text), tuple(buttons[:_MAX_BUTTONS]), node)


def open_dialogs(roots: list[tuple[AppInfo, Node]], *, besides: str | None = None) -> list[Dialog]:
    """The dialogs in front of other content among these app trees. An app's only window is what the
    step works in, not something in its way; nor is the window the step names (``besides``): when that is
    the open dialog in front, the step works in it and the others are behind it (LibreOffice's
    "Are you sure?" on top of its Document Recovery)."""
    found: list[Dialog] = []
    for app, root in roots:
        windows = [w for w in root.children if is_visible(w)]
        # Modal windows stack in the order they opened (a question a dialog asks opens over it, and its app
        # lists it after it): the last one is in front, whichever is active (LibreOffice, with no window
        # manager, leaves its Document Recovery active under the question it asks).
        modal = [w for w in windows if is_blocking(w, (root,))]
        for node, ancestors in root.walk_with_ancestors():
            if node is root or not is_blocking(node, ancestors):
                continue
            if besides and norm(besides) in norm(node.name):
                if modal and node is modal[-1]:
                    return []  # the one in front: the others are behind it
                continue
            if len(ancestors) == 1 and len(windows) < 2:
                continue
            found.append(describe_dialog(app.name, node))
    return found


def blocking_dialog(desktop: DesktopView, app_name: str | None, window: str | None = None) -> Dialog | None:
    """The modal dialog open in ``app_name`` (every app when None), confirmed by reading it again (still
    there and shown; events keep the rest of the tree current, and a whole re-read cost ~1 s on mousepad)."""
    app = desktop.find_app(app_name) if app_name else None
    # Named none: the apps an unscoped search looks in; another app the person has open is no place to look,
    # and reading it is refused (a first step missing its target was BLOCKED for a text editor left open).
    apps = [app] if app is not None else ([] if app_name else apps_by_scope(desktop)[0])
    for dialog in open_dialogs(_trees(desktop, apps), besides=window):
        try:
            if is_visible(desktop.backend.refresh(dialog.node.ref)):
                return dialog
        except NodeGone:
            continue
    return None


def _trees(desktop: DesktopView, apps: list[AppInfo]) -> list[tuple[AppInfo, Node]]:
    out: list[tuple[AppInfo, Node]] = []
    for app in apps:
        try:
            out.append((app, desktop.backend.snapshot(app.ref)))
        except NodeGone:
            continue
    return out
