"""A combo box the toolkit keeps hidden beside a face it draws itself (LibreOffice's GTK3 plugin): a person
types into the shown entry (locate/drawn_combo.py)."""

from __future__ import annotations

from deskhand.locate.drawn_combo import drawn_button, drawn_combo_of, drawn_entry
from deskhand.tree.node import Bounds, Node

SHOWN = frozenset({"showing", "visible"})
PLACE = Bounds(412, 461, 479, 34)


def box(*children: Node) -> Node:
    return Node("box", "generic", states=SHOWN, bounds=Bounds(412, 461, 515, 34), children=children)


def test_the_hidden_combo_is_typed_into_through_its_shown_entry() -> None:
    entry = Node("entry", "textbox", value="10 pt", states=SHOWN | {"editable"}, bounds=PLACE)
    hidden_entry = Node("model-entry", "textbox", value="", states=frozenset({"editable", "visible"}))
    combo = Node("combo", "combobox", children=(Node("menu", "menu"), hidden_entry))
    parent = box(entry, combo, Node("toggle", "button", states=SHOWN, bounds=Bounds(891, 461, 36, 34)))
    assert drawn_entry(combo, parent) is entry


def test_a_shown_combo_or_one_without_a_shown_entry_is_itself() -> None:
    entry = Node("entry", "textbox", states=SHOWN | {"editable"}, bounds=PLACE)
    shown_combo = Node("combo", "combobox", states=SHOWN, bounds=PLACE)
    assert drawn_entry(shown_combo, box(entry, shown_combo)) is None
    hidden = Node("combo", "combobox")
    assert drawn_entry(hidden, box(hidden, Node("toggle", "button", states=SHOWN, bounds=PLACE))) is None
    assert drawn_entry(hidden, None) is None


def test_a_hidden_combo_without_an_entry_is_chosen_in_through_its_shown_button() -> None:
    toggle = Node("toggle", "button", states=SHOWN, bounds=PLACE)
    hidden_entry = Node("model-entry", "textbox", states=frozenset({"editable"}))
    combo = Node("combo", "combobox", children=(Node("menu", "menu"),))
    parent = box(hidden_entry, combo, toggle)
    assert drawn_button(combo, parent) is toggle
    assert drawn_combo_of(toggle, parent) is combo
    assert drawn_combo_of(toggle, box(toggle)) is None  # a plain button
    entry = Node("entry", "textbox", states=SHOWN | {"editable"}, bounds=PLACE)
    assert drawn_button(combo, box(entry, combo, toggle)) is None  # typed into instead
    assert drawn_button(Node("shown", "combobox", states=SHOWN, bounds=PLACE), box(toggle)) is None
