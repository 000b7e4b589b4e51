"""Choosing a file in a toolkit's file chooser the way a person does, judged by what the chooser takes.

A GTK chooser (GTK3's ``file chooser`` role: GTK apps, Firefox, LibreOffice's VCL plugin; GTK4's
``GtkFileChooserWidget``) shows a location entry on Ctrl+L (in a Save chooser, its name field). The path
is put into that entry in one go (EditableText; typing races the entry's inline completion under load:
letters after a '/' were lost), the entry is read back to hold exactly the path, and only then the
chooser's accept button (Open, Save, OK…) is pressed (GTK4: Enter in the entry). The chooser closing is the
step's effect; one that stays open fails naming what it shows (an error line, the entry's text). An Open
chooser (no name field until Ctrl+L) is not given a file that does not exist: GTK hands it to the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from deskhand.backends.base import Backend, PageFileInputs, TextReadBack
from deskhand.errors import ActionFailed, BackendError, NodeGone
from deskhand.locate.scopes import apps_by_scope
from deskhand.locate.view import DesktopView
from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

# GTK4 4.8 gives the chooser no role of its own: its accessible name is the widget's class name.
_CHOOSER_CLASS_NAMES = frozenset({"GtkFileChooserWidget"})
_NOT_ACCEPT = frozenset({"cancel", "close", "help", "connect", "create", "rename", "delete"})
_ACCEPT = ("open", "save", "ok", "select", "choose", "attach", "upload", "insert", "export", "import")
T = TypeVar("T")
SETTLE_S = 0.3  # a chooser that holds the path this long after the last event has stopped completing it


@dataclass(frozen=True)
class OpenChooser:
    """A file chooser on screen: its app, its top-level window and the chooser widget in it."""

    app: str
    app_ref: str
    window: Node
    chooser: Node


def is_file_chooser(node: Node) -> bool:
    return node.raw_role == "file chooser" or node.name in _CHOOSER_CLASS_NAMES


def find_chooser(desktop: DesktopView, app: str | None) -> OpenChooser | None:
    """The newest file chooser shown by ``app`` (any app when None)."""
    found: OpenChooser | None = None
    wanted = desktop.find_app(app) if app is not None else None
    for info in desktop.apps() if app is not None else apps_by_scope(desktop)[0]:
        if app is not None and (wanted is None or info.ref != wanted.ref):
            continue
        root = desktop.backend.snapshot(info.ref)
        for window in root.children:
            # The innermost: GTK3's dialog has the chooser role too, around the chooser widget.
            inner = [node for node in window.walk() if is_file_chooser(node)]
            if inner and (is_visible(inner[-1]) or is_visible(window)):
                found = OpenChooser(info.name, info.ref, window, inner[-1])
    return found


def choose_file(desktop: DesktopView, app: str | None, path: str, *, timeout: float) -> str:
    """Choose ``path`` in the file chooser ``app`` shows (waiting up to ``timeout`` for one to open);
    returns the chooser window's title. Raises ActionFailed naming the chooser and what it shows."""
    backend = desktop.backend

    def either() -> str | OpenChooser | None:
        page = _page_input(backend)
        return page if page is not None else find_chooser(desktop, app)

    found: str | OpenChooser | None = _wait(backend, timeout, either)
    if isinstance(found, str):
        _give_to_page(backend, found, path)
        return "the page's file chooser"
    if found is None:
        where = f"{app!r}" if app else "any app"
        raise ActionFailed(
            f"No file chooser is open in {where} to choose {path!r} in.",
            hint="Open it first (the app's Open…, Save As… or file button), then choose the file.",
        )
    shown: OpenChooser = found
    title = shown.window.name or "the file chooser"
    backend.activate_window(shown.window.ref)  # Ctrl+L must reach the chooser, not the window behind it
    _wait(backend, timeout, lambda: True if _has_keyboard(backend, shown) else None)
    # A Save chooser shows its name field from the start (its focus may come a moment later: given here);
    # an Open chooser shows no field until Ctrl+L opens its location entry, which takes the focus.
    entry = _location_entry(backend, shown, focused=False)
    opening = entry is None
    if entry is not None and State.FOCUSED not in entry.states:
        backend.focus(entry.ref)
    if opening:
        backend.press("Ctrl+L")
        entry = _wait(backend, timeout, lambda: _location_entry(backend, shown, focused=True))
    if entry is None:
        raise ActionFailed(
            f"The file chooser {title!r} showed no place to type a path (Ctrl+L).",
            hint=f"It shows: {_what_it_shows(backend, shown)}",
        )
    if opening and not Path(path).exists():
        # GTK's Open chooser hands a missing file to the app as if it were there (zenity printed it).
        raise ActionFailed(
            f"There is no file {path!r} for the file chooser {title!r} to open.",
            hint=f"Check the path. The chooser shows: {_what_it_shows(backend, shown)}",
        )
    held = _put_path(backend, entry, path)
    if held != path:
        raise ActionFailed(
            f"The file chooser {title!r} holds {held!r} in its location, not {path!r}.",
            hint="Its completion changed the path: give the file's full path.",
        )
    accepted_by = _accept(backend, shown, timeout)
    if accepted_by is None:
        raise ActionFailed(
            f"The file chooser {title!r} has no enabled button to accept {path!r}.",
            hint=f"It shows: {_what_it_shows(backend, shown)}",
        )
    if _wait(backend, timeout, lambda: None if _still_shown(backend, shown) else True) is None:
        raise ActionFailed(
            f"The file chooser {title!r} stayed open after {accepted_by} with {path!r}.",
            hint=f"It shows: {_what_it_shows(backend, shown)}",
        )
    return title


def _page_input(backend: Backend) -> str | None:
    """A web page's file input waiting for files (Chromium: answered in the page), as its page's ref."""
    return backend.waiting_file_input() if isinstance(backend, PageFileInputs) else None


def _give_to_page(backend: Backend, ref: str, path: str) -> None:
    assert isinstance(backend, PageFileInputs)
    if not Path(path).is_file():
        raise ActionFailed(
            f"There is no file {path!r} to give the page's file input.", hint="Give the full path of an existing file."
        )
    held = backend.choose_files(ref, [path])
    if Path(path).name not in held:
        raise ActionFailed(f"The page's file input holds {list(held)}, not {Path(path).name!r}.")


def _wait(backend: Backend, timeout: float, look: Callable[[], T]) -> T:
    """``look()`` until it finds something or ``timeout`` passes, woken by the app's events. Each phase of the
    step (the chooser opening, the entry showing, the chooser closing) has the step's wait of its own."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = look()
        except NodeGone:  # an element went while looked at: looked at again
            found = None
        if found is not None:
            return found
        if time.monotonic() >= deadline:
            return look()
        backend.wait_for_change(min(0.25, max(deadline - time.monotonic(), 0.0)))


def _has_keyboard(backend: Backend, shown: OpenChooser) -> bool:
    """The chooser's window is the app's active one: GTK3 marks it active; GTK 4.8 marks no dialog active,
    only takes the mark off the window behind it."""
    windows = backend.snapshot(shown.app_ref).children
    mine = [w for w in windows if w.ref == shown.window.ref and State.ACTIVE in w.states]
    return bool(mine) or not any(State.ACTIVE in w.states for w in windows)


def _window_now(backend: Backend, shown: OpenChooser) -> Node | None:
    """The chooser's window as it is now, whole (an element's refresh reads only a small subtree again)."""
    for window in backend.snapshot(shown.app_ref).children:
        if window.ref == shown.window.ref:
            return window
    return None


def _inside(backend: Backend, shown: OpenChooser) -> list[Node]:
    window = _window_now(backend, shown)
    if window is None:
        raise NodeGone(f"The file chooser {shown.window.name!r} is gone.")
    return list(window.walk())


def _location_entry(backend: Backend, shown: OpenChooser, *, focused: bool) -> Node | None:
    """The field a path is typed into: an editable text field of the chooser on screen (GTK3's location entry
    after Ctrl+L, a Save chooser's name field), holding the focus when ``focused``; not the search field."""
    for node in _inside(backend, shown):
        editable = node.role == Role.TEXTBOX and State.EDITABLE in node.states and is_visible(node)
        if editable and (State.FOCUSED in node.states or not focused) and "search" not in node.name.casefold():
            return node
    return None


def _put_path(backend: Backend, entry: Node, path: str) -> str:
    """Write the path into the entry and wait until what it holds stops changing (the completion may add to
    it a moment later); returns what it holds then."""
    if isinstance(backend, TextReadBack):
        held = backend.set_text_and_read(entry.ref, path).value or ""
    else:
        backend.set_text(entry.ref, path)
        held = backend.refresh(entry.ref).value or ""
    quiet_until = time.monotonic() + SETTLE_S
    give_up = quiet_until + 20 * SETTLE_S  # a field that never stops changing is read as it is then
    while time.monotonic() < min(quiet_until, give_up):
        if backend.wait_for_change(max(quiet_until - time.monotonic(), 0.0)):
            now = backend.refresh(entry.ref).value or ""
            if now != held:
                held = now
                quiet_until = time.monotonic() + SETTLE_S
    return backend.refresh(entry.ref).value or ""


def _plain(name: str) -> str:
    """A button's words without GTK4's mnemonic copy ("_Open Open") or an ellipsis."""
    words = name.replace("_", "").replace("…", "").casefold().split()
    return words[-1] if words else ""


def is_accept_button(node: Node) -> bool:
    """A dialog's button that accepts what its chooser holds (Open, Save, OK…)."""
    return node.role == Role.BUTTON and _plain(node.name) in _ACCEPT


def _accept(backend: Backend, shown: OpenChooser, timeout: float) -> str | None:
    """Accept what the location entry holds; returns how (for the error when the chooser stays open)."""
    if shown.chooser.raw_role != "file chooser":
        # GTK 4.8's dialog buttons ignore AT-SPI's press (measured: the chooser stayed open); Enter in the
        # focused location entry gives the dialog its default answer, as a person's Enter does.
        backend.press("Enter")
        return "Enter"
    accept = _wait(backend, timeout, lambda: _accept_button(backend, shown))
    if accept is None:
        return None
    backend.click(accept.ref)
    return repr(accept.name)


def _accept_button(backend: Backend, shown: OpenChooser) -> Node | None:
    """The chooser's enabled accept button (Open, Save, OK…): a dialog's buttons outside the chooser widget's
    own ones (Create Folder, Connect), not Cancel."""
    own = {node.ref for node in shown.chooser.walk()} - {shown.chooser.ref}
    buttons = [
        node
        for node in _inside(backend, shown)
        if node.role == Role.BUTTON and node.ref not in own and is_visible(node) and node.name
    ]
    for word in _ACCEPT:
        for button in buttons:
            if _plain(button.name) == word and State.ENABLED in button.states:
                return button
    return None


def _still_shown(backend: Backend, shown: OpenChooser) -> bool:
    if all(app.ref != shown.app_ref for app in backend.applications()):
        return False  # the app ended with its chooser (zenity prints the file and quits)
    try:
        window = _window_now(backend, shown)
    except BackendError:
        return False
    return window is not None and is_visible(window) and any(is_file_chooser(node) for node in window.walk())


def _what_it_shows(backend: Backend, shown: OpenChooser) -> str:
    """The chooser's visible words a person would read: error lines, the typed path, its buttons."""
    try:
        nodes = _inside(backend, shown)
    except NodeGone:
        return "nothing (it closed)"
    words: list[str] = []
    for node in nodes:
        if not is_visible(node):
            continue
        if node.role == Role.TEXTBOX and node.value:
            words.append(repr(node.value))
        elif node.role in (Role.LABEL, Role.ALERT, Role.BUTTON) and node.name and node.name not in words:
            words.append(node.name)
    return ", ".join(words[:30]) or "nothing readable"
