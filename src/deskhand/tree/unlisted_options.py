"""A combo box whose list names no options to assistive technology, and its face: the button showing its choice.

GTK 4.8's GtkComboBox gives AT-SPI its toggle button only (holding the GtkCellView that draws the choice, and
the arrow); the list it pops up is a popover of cell views that lists nothing, open or closed, and no name,
value or selected child says which option is chosen (measured on gtk4-widget-factory). A GTK 3 combo lists
its menu items even closed, Qt's and the browsers' list their options, and a combo with an entry is typed
into. Such a combo is used the way a person uses it: by what it shows on screen.
"""

from __future__ import annotations

from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

# What lists options (or holds a list that will): a combo holding any of these is no such combo.
_LISTING = frozenset({Role.OPTION, Role.LISTITEM, Role.MENUITEM, Role.MENU, Role.LIST, Role.LISTBOX})


def face_of(combo: Node) -> Node | None:
    """The one shown button of ``combo`` (it opens the list and shows the choice) when ``combo`` is a combo box
    whose list names no options; None for any other element."""
    if combo.role != Role.COMBOBOX:
        return None
    below = [node for node in combo.walk() if node is not combo]
    if any(node.role in _LISTING for node in below):
        return None
    if any(node.role in (Role.TEXTBOX, Role.SEARCHBOX) and State.EDITABLE in node.states for node in below):
        return None
    buttons = [n for n in below if n.role == Role.BUTTON and n.bounds is not None and not n.bounds.empty]
    return buttons[0] if len(buttons) == 1 else None


def lists_no_options(combo: Node) -> bool:
    return face_of(combo) is not None
