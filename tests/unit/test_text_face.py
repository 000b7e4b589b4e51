"""A click on a Qt label by its name aims at its words (atspi/text_face.py): which labels are read for their
words, and which phrase read from the label's pixels is its name."""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.text_face import needs_reading
from deskhand.backends.screen.ocr import TextBox
from deskhand.backends.screen.phrase import phrase_of
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

LABEL = Node(ref=":1.2|/l", role=Role.LABEL, name="Read the docs", bounds=Bounds(810, 243, 372, 199))


def test_only_named_qt_labels_without_a_text_interface_are_read() -> None:
    plain = frozenset({c.I_ACCESSIBLE, c.I_COMPONENT, c.I_ACTION})
    assert needs_reading(LABEL, plain, "qt")
    assert not needs_reading(LABEL, plain | {c.I_TEXT}, "qt")  # characters have boxes: no reading
    assert not needs_reading(LABEL, plain, "gtk")  # GTK's labels have Text, and link children
    assert not needs_reading(Node(ref=":1.2|/b", role=Role.BUTTON, name="OK"), plain, "qt")
    assert not needs_reading(Node(ref=":1.2|/e", role=Role.LABEL, name=" "), plain, "qt")


def test_the_phrase_most_like_the_name_is_taken_and_a_stranger_is_not() -> None:
    read = [
        TextBox("Right-click me", Bounds(4, 2, 90, 14), 0.9),
        TextBox("Read the dacs", Bounds(6, 92, 88, 15), 0.7),  # one letter misread
        TextBox("Choose file...", Bounds(4, 180, 80, 14), 0.9),
    ]
    assert phrase_of("Read the docs", read) == Bounds(6, 92, 88, 15)
    assert phrase_of("Delete everything", read) is None
    assert phrase_of("Read the docs", []) is None
