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

from dataclasses import dataclass, field

from deskhand.tree.node import Bounds, Node
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
    bus: str = ""  # the app's ref (its bus name first): the events that are its own
    path: str = ""
    saved: bool = False
    name_ref: str = ""  # the name field's ref, once seen: its text events carry the path on when it is gone
    # Save was pressed at this moment (monotonic): the step waits for the app to show it is done with the
    # dialog, so the name field's last text events (sent before, maybe delivered later) are in the path.
    pressed_at: float | None = None
    looked_at: float = 0.0  # when the dialog was last read to see whether the pressed Save closed it
    # Where its Save and Cancel buttons are (``save``/``cancel`` → box), kept once it was read whole: the
    # tree the events keep may lose a button's place (GTK3 re-reports it as the name makes it sensitive).
    buttons: dict[str, Bounds] = field(default_factory=dict)

    def place_buttons(self, window: Node) -> None:
        for node in window.walk():
            word = button_word(node)
            if word and node.bounds is not None and not node.bounds.empty:
                self.buttons[word] = node.bounds

    def place_from(self, *trees: Node | None) -> None:
        """Place the buttons from the first of ``trees`` (or ancestors) that holds this dialog with them."""
        for tree in trees:
            window = tree.find(self.ref) if tree is not None else None
            if window is not None and not self.buttons:
                self.place_buttons(window)

    def button_at(self, x: int, y: int) -> str:
        """``save`` or ``cancel`` when (x, y) is on that button, else ``""``."""
        for word, box in self.buttons.items():
            if box.x <= x < box.x + box.width and box.y <= y < box.y + box.height:
                return word
        return ""


def save_window(ancestors: tuple[Node, ...], node: Node, tree: Node) -> Node | None:
    """The save dialog ``node`` is in, if it is in one, as ``tree`` (the app's latest) holds it."""
    for candidate in (*ancestors, node):
        if candidate.role != Role.DIALOG:
            continue
        for window in (tree.find(candidate.ref), candidate):
            if window is not None and is_save_dialog(window):
                return window
    return None


def is_save_dialog(window: Node) -> bool:
    chooser = any(n.role == Role.DIALOG for n in window.walk() if n is not window)
    return chooser and any(_button(n) == _SAVE for n in window.walk())


def name_field(window: Node, tree: Node) -> Node | None:
    """The dialog's name field as shown now (None when it shows no such field)."""
    entries = [n for n in window.walk() if n.role == Role.TEXTBOX and State.SHOWING in n.states]
    for entry in entries:
        labels = [tree.find(ref) for ref in entry.labelled_by]
        if any(label is not None and _words(label.name) == "name" for label in labels):
            return entry
    return entries[0] if entries else None


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
