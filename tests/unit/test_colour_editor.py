"""GTK's colour editor entry (locate/colour_editor.py): which entry it is, and how it shows a colour it took."""

from __future__ import annotations

import pytest

from deskhand.locate.colour_editor import is_colour_entry, shown_when_taken
from deskhand.tree.node import Node


def editor(entry: Node) -> Node:
    parts = (Node("plane", "generic", "Color Plane"), Node("alpha", "generic", "Alpha"), Node("hue", "generic", "Hue"))
    return Node("editor", "group", children=(*parts, entry, Node("swatch", "radio")))


def test_the_entry_beside_the_editors_plane_and_hue_is_the_colour_entry() -> None:
    entry = Node("entry", "textbox", "Color Name", value="#BF4040")
    assert is_colour_entry(entry, editor(entry))
    assert not is_colour_entry(entry, Node("form", "group", children=(entry,)))
    assert not is_colour_entry(entry, None)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("#ff0000", "#FF0000"), ("#f00", "#FF0000"), (" #3465a4 ", "#3465A4"), ("#ffff80800000", "#FF8000")],
)
def test_a_hexadecimal_colour_is_shown_as_rrggbb_once_taken(typed: str, shown: str) -> None:
    assert shown_when_taken(typed) == shown


@pytest.mark.parametrize("typed", ["red", "rgb(255,0,0)", "#zzz", "#12345"])
def test_anything_else_is_the_editors_to_say(typed: str) -> None:
    assert shown_when_taken(typed) is None
