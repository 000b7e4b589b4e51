"""A Save dialog seen while recording becomes one `Save the file as "<path>"` step, not its keystrokes.

A save dialog is a dialog window holding a file chooser (AT-SPI's ``file chooser`` role, which reaches the
tree as a ``dialog`` inside the window: GTK's chooser widget) and a Save button. While it is open nothing done
inside it is a step; the path is what its name field holds (the field labelled Name, else its first text
field — the one the runner's Save As types into), read on every event from the dialog, so the value the app
saved under is the one written. Save (the button, or Enter in the dialog) then the dialog closing is the step;
Cancel or Escape is none. The step that opened the dialog (a menu item, a toolbar button, Ctrl+Shift+S) is
replaced by it: the runner's Save As opens the dialog itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State
from deskhand.tree.text import collapse_whitespace

_SAVE = "save"
_CANCEL = frozenset({"cancel", "close"})


@dataclass(slots=True)
class SaveDialog:
    """A save dialog open in ``app`` (window ``ref``), opened from the window ``window``/``window_ref``."""

    app: str
    ref: str
    window: str
    window_ref: str
    path: str = ""
    saved: bool = False


def save_window(ancestors: tuple[Node, ...], node: Node, tree: Node) -> Node | None:
    """The save dialog ``node`` is in, if it is in one, as ``tree`` (the app's latest) holds it."""
    for candidate in (*ancestors, node):
        window = tree.find(candidate.ref) if candidate.role == Role.DIALOG else None
        if window is not None and is_save_dialog(window):
            return window
    return None


def is_save_dialog(window: Node) -> bool:
    chooser = any(n.role == Role.DIALOG for n in window.walk() if n is not window)
    return chooser and any(_button(n) == _SAVE for n in window.walk())


def name_value(window: Node, tree: Node) -> str | None:
    """What the dialog's name field holds now (None when it shows no such field)."""
    fields = [n for n in window.walk() if n.role == Role.TEXTBOX and State.SHOWING in n.states]
    for field in fields:
        labels = [tree.find(ref) for ref in field.labelled_by]
        if any(label is not None and _words(label.name) == "name" for label in labels):
            return field.value
    return fields[0].value if fields else None


def button_word(node: Node) -> str:
    """``save`` or ``cancel`` for a dialog's Save or Cancel button, else ``""``."""
    word = _button(node)
    return "cancel" if word in _CANCEL else word if word == _SAVE else ""


def _words(text: str) -> str:
    return collapse_whitespace(text).replace("_", "").rstrip(":").casefold()


def _button(node: Node) -> str:
    if node.role != Role.BUTTON:
        return ""
    return _words(node.name)


def window_open(tree: Node | None, ref: str) -> bool:
    window = tree.find(ref) if tree is not None else None
    return window is not None and is_visible(window)
