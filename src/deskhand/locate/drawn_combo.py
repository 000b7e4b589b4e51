"""A combo box the toolkit keeps hidden while a face of its own is shown: where a person types into it.

LibreOffice's GTK3 plugin (VCL) draws its combo boxes itself — an entry and a toggle button in a box — and
keeps a GtkComboBox hidden beside them as their model (measured on 7.4: the hidden combo has no place, no
SHOWING, and an empty menu; the box and its entry and button are shown). A label names the hidden combo
(LABELLED_BY), so "Size:" resolves to an element no person can see; its shown entry is where they type.
"""

from __future__ import annotations

from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State


def drawn_entry(combo: Node, parent: Node | None) -> Node | None:
    """The shown entry standing for the hidden combo box ``combo`` in its shown box ``parent``; None when
    ``combo`` is no such combo (shown itself, or without exactly one shown editable entry beside it)."""
    if combo.role != Role.COMBOBOX or is_visible(combo) or parent is None or not is_visible(parent):
        return None
    entries = [
        child
        for child in parent.children
        if child is not combo and child.role == Role.TEXTBOX and State.EDITABLE in child.states and is_visible(child)
    ]
    return entries[0] if len(entries) == 1 else None
