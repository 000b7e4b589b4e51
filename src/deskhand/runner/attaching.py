"""Attaching a file the way a person does: the window's Attach button, the file chooser, the file's path.

When Attach is a split button whose menu opens first, its "File(s)…" item is pressed. A GTK file chooser
(in GTK apps and in Gecko, which uses GTK's) takes a typed path once its location entry
is open (Ctrl+L); Enter picks the file. The step is judged by its effect: the file's name must show in the
window it was attached to (the attachment list), or the step fails.
"""

from __future__ import annotations

from pathlib import Path

from deskhand.errors import ActionFailed, LocatorError, NoMatch
from deskhand.locate.locator import Locator, is_visible
from deskhand.locate.waiting import retry_until
from deskhand.tree.node import Node
from deskhand.tree.roles import State
from deskhand.tree.selector import Selector

_ATTACH_NAMES = ("Attach", "Attach File", "Attach Files", "Add Attachment", "Attachment", "Attach…")


def attach_file(scope: Locator, path: str, *, timeout: float) -> None:
    file = Path(path).expanduser()
    if not file.is_file():
        raise ActionFailed(f"There is no file {path!r} to attach.", hint="Give the full path of an existing file.")
    desktop = scope.desktop
    backend = desktop.backend
    attach = _attach_button(scope)
    attached_to = attach.wait_for(state="enabled", timeout=timeout)
    window = attached_to.match.window if attached_to is not None else None
    before = {r.node.ref for r in scope.locator(Selector(role="dialog")).resolve_all()}
    attach.click()

    pressed: set[str] = set()

    def chooser() -> str:
        for found in scope.locator(Selector(role="dialog")).resolve_all():
            if found.node.ref not in before and is_visible(found.node):
                return found.node.ref
        # A split Attach button (Thunderbird) opens a menu first: its "File(s)…" item opens the chooser.
        for item in scope.locator(Selector(role="menuitem")).resolve_all():
            name = item.node.name.casefold()
            if name.startswith("file") and is_visible(item.node) and item.node.ref not in pressed:
                pressed.add(item.node.ref)
                backend.click(item.node.ref)
                break
        raise NoMatch("The file chooser has not opened yet.")

    dialog = retry_until(
        backend,
        chooser,
        timeout=timeout,
        on_timeout=lambda last: ActionFailed("Pressing Attach opened no file chooser.", hint="Attach it by hand once."),
    )
    backend.activate_window(dialog)  # keys go to the chooser, not to the window behind it
    backend.press("Ctrl+L")
    retry_until(
        backend,
        lambda: _focused_entry(scope, dialog),
        timeout=timeout,
        on_timeout=lambda last: ActionFailed("The file chooser showed no place to type a path (Ctrl+L)."),
    )
    backend.type_text(str(file))
    # The chooser's own button, as a person clicks it (Enter can go to the path completion's popup).
    # The locator waits until GTK enables Open (it does once it has checked the typed path).
    title = backend.refresh(dialog).name
    scope.window(title).get_by_role("button", name="Open", exact=True).with_timeout(timeout).click()

    def closed_and_listed() -> None:
        try:
            _in_dialog(scope, dialog, "button", "Open")
        except NoMatch:
            pass  # closed: look for the file's name in the window
        else:
            raise NoMatch("The file chooser is still open.")
        where = scope.window(window.name) if window is not None else scope
        wanted = "".join(file.name.split()).casefold()
        # Thunderbird lists "notes .txt 3 bytes": the name is compared without its spaces.
        shown = [
            node
            for resolved in where.resolve_all()
            for node in resolved.node.walk()
            if wanted in "".join(node.name.split()).casefold() and is_visible(node)
        ]
        if not shown:
            raise NoMatch(f"{file.name!r} is not listed as attached yet.")

    retry_until(
        backend,
        closed_and_listed,
        timeout=timeout,
        on_timeout=lambda last: ActionFailed(
            f"{file.name!r} did not show as attached in {window.name if window else 'the window'!r}.",
            hint=last.message if last is not None else "Check that the app accepted the file.",
        ),
    )


def _in_dialog(scope: Locator, dialog: str, role: str, name: str) -> Node:
    for found in scope.locator(Selector(role=role, name=name, exact=True)).resolve_all():
        if is_visible(found.node) and any(a.ref == dialog for a in found.match.ancestors):
            return found.node
    raise NoMatch(f"The file chooser has no {role} {name!r}.")


def _focused_entry(scope: Locator, dialog: str) -> None:
    """The chooser's location entry has the keyboard focus (keys typed before it shows are lost)."""
    for found in scope.locator(Selector(role="textbox")).resolve_all():
        in_dialog = any(a.ref == dialog for a in found.match.ancestors)
        if in_dialog and State.FOCUSED in found.node.states:
            return
    raise NoMatch("The location entry is not focused yet.")


def _attach_button(scope: Locator) -> Locator:
    """The window's attach button, by the names mail clients give it (the first that is there)."""
    for name in _ATTACH_NAMES:
        button = scope.locator(Selector(role="button", name=name, exact=True))
        try:
            if button.resolve_all():
                return button
        except LocatorError:
            continue
    return scope.locator(Selector(role="button", name="Attach", exact=True))
