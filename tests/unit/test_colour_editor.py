"""GTK's colour editor entry (locate/colour_editor.py): which entry it is, and how it shows a colour it took."""

from __future__ import annotations

import pytest

from deskhand.locate.colour_editor import editor_part_names, is_colour_entry, shown_when_taken
from deskhand.tree.node import Node


def editor(entry: Node, plane: str = "Color Plane", hue: str = "Hue") -> Node:
    parts = (Node("plane", "generic", plane), Node("alpha", "generic", "Alpha"), Node("hue", "generic", hue))
    return Node("editor", "group", children=(*parts, entry, Node("swatch", "radio")))


def test_the_entry_beside_the_editors_plane_and_hue_is_the_colour_entry() -> None:
    entry = Node("entry", "textbox", "Color Name", value="#BF4040")
    assert is_colour_entry(entry, editor(entry))
    assert not is_colour_entry(entry, Node("form", "group", children=(entry,)))
    assert not is_colour_entry(entry, None)


def test_under_a_german_desktop_the_editor_is_known_by_gtks_german_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # GTK's own catalogue (Debian's libgtk-3-common) names the parts 'Farbwähler' and 'Farbton' in German.
    entry = Node("entry", "textbox", "Farbname", value="#BF4040")
    german = editor(entry, plane="Farbwähler", hue="Farbton")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGUAGE", "de")
    editor_part_names.cache_clear()
    try:
        assert is_colour_entry(entry, german)
        assert is_colour_entry(entry, editor(entry))  # English names still count
        monkeypatch.setenv("LANGUAGE", "C")
        editor_part_names.cache_clear()
        assert not is_colour_entry(entry, german)
    finally:
        editor_part_names.cache_clear()


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("#ff0000", "#FF0000"), ("#f00", "#FF0000"), (" #3465a4 ", "#3465A4"), ("#ffff80800000", "#FF8000")],
)
def test_a_hexadecimal_colour_is_shown_as_rrggbb_once_taken(typed: str, shown: str) -> None:
    assert shown_when_taken(typed) == shown


@pytest.mark.parametrize("typed", ["red", "rgb(255,0,0)", "#zzz", "#12345"])
def test_anything_else_is_the_editors_to_say(typed: str) -> None:
    assert shown_when_taken(typed) is None
