"""Attaching a file the way a person does: the window's Attach button, the file chooser, the file's path.

When Attach is a split button whose menu opens first, its "File(s)…" item is pressed. The chooser that
opens (GTK's, in GTK apps and in Gecko) is given the path as any file chooser is (``locate.file_chooser``: the
whole path in one go and read back before Open; typed, its inline completion garbled it under load and
Thunderbird was handed a file that does not exist). The step is judged by its effect: the file's name must
show in the window it was attached to (the attachment list), or the step fails.
"""

from __future__ import annotations

from pathlib import Path

from deskhand.errors import ActionFailed, LocatorError, NoMatch
from deskhand.locate.file_chooser import choose_file
from deskhand.locate.locator import Locator, is_visible
from deskhand.locate.waiting import retry_until
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
                return found.app.name
        # A split Attach button (Thunderbird) opens a menu first: its "File(s)…" item opens the chooser.
        for item in scope.locator(Selector(role="menuitem")).resolve_all():
            name = item.node.name.casefold()
            if name.startswith("file") and is_visible(item.node) and item.node.ref not in pressed:
                pressed.add(item.node.ref)
                backend.click(item.node.ref)
                break
        raise NoMatch("The file chooser has not opened yet.")

    app = retry_until(
        backend,
        chooser,
        timeout=timeout,
        on_timeout=lambda last: ActionFailed("Pressing Attach opened no file chooser.", hint="Attach it by hand once."),
    )
    choose_file(desktop, app, str(file), timeout=timeout)

    def listed() -> None:
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
        listed,
        timeout=timeout,
        on_timeout=lambda last: ActionFailed(
            f"{file.name!r} did not show as attached in {window.name if window else 'the window'!r}.",
            hint=last.message if last is not None else "Check that the app accepted the file.",
        ),
    )


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
