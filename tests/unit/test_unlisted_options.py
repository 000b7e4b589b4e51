"""A combo box whose list names no options (GTK 4.8's): which combos are such (tree/unlisted_options.py), its
option chosen by sight in the popup its button opened (backends/atspi/options_by_sight.py), and the choice
read back from its face (locate/combo_face.py)."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from PIL import Image

from deskhand.backends.atspi.options_by_sight import PopupList
from deskhand.backends.screen.ocr import TextBox
from deskhand.errors import ActionFailed
from deskhand.locate.combo_face import read_back_face, shows
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State
from deskhand.tree.unlisted_options import face_of, lists_no_options

FACE = Node(
    ref=":1.2|/button",
    role=Role.BUTTON,
    name="GtkToggleButton",
    bounds=Bounds(433, 237, 110, 24),
    children=(Node(ref=":1.2|/cell", role=Role.GENERIC, name="GtkCellView", bounds=Bounds(433, 237, 94, 24)),),
)
# As GTK 4.8 gives it: the combo, a box, the toggle button holding the cell view; no options, open or closed.
GTK4_COMBO = Node(
    ref=":1.2|/combo",
    role=Role.COMBOBOX,
    name="GtkComboBox",
    bounds=Bounds(423, 232, 130, 34),
    children=(Node(ref=":1.2|/box", role=Role.GROUP, bounds=Bounds(423, 232, 130, 34), children=(FACE,)),),
)
POPUP = (425, 269, 136, 144)
OPTIONS = ["Andrea", "Otto", "Orville", "Benjamin"]


def test_a_combo_that_lists_nothing_is_used_through_its_one_shown_button() -> None:
    assert face_of(GTK4_COMBO) is FACE
    menu = Node(ref=":1.2|/m", role=Role.MENU, children=(Node(ref=":1.2|/i", role=Role.MENUITEM, name="Left"),))
    gtk3 = Node(ref=":1.2|/c3", role=Role.COMBOBOX, name="Left", children=(FACE, menu))
    assert not lists_no_options(gtk3)  # GTK 3 lists its menu items even closed
    entry = Node(ref=":1.2|/e", role=Role.TEXTBOX, states=frozenset({State.EDITABLE}), bounds=Bounds(0, 0, 9, 9))
    with_entry = Node(ref=":1.2|/ce", role=Role.COMBOBOX, children=(entry, FACE))
    assert not lists_no_options(with_entry)  # typed into, not chosen from
    assert face_of(FACE) is None  # a button is no combo
    unplaced = Node(ref=":1.2|/b", role=Role.BUTTON, bounds=Bounds(0, 0, 0, 0))
    assert not lists_no_options(Node(ref=":1.2|/c", role=Role.COMBOBOX, children=(unplaced,)))


def _png(shade: int, size: tuple[int, int] = (4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (shade, 0, 0)).save(out, format="PNG")
    return out.getvalue()


class Screen:
    """A popup that maps after ``late`` looks, drawn after ``undrawn`` more, listing ``options``; a click on a
    row closes it."""

    def __init__(self, options: list[str], late: int = 2, undrawn: int = 0) -> None:
        self.options = options
        self.late = late
        self.undrawn = undrawn
        self.open = False
        self.clicks: list[tuple[int, int]] = []
        self.keys: list[str] = []

    def popups(self) -> list[tuple[int, int, int, int]]:
        if self.late > 0:
            self.late -= 1
            self.open = self.late == 0
        return [POPUP] if self.open else []

    def grab(self, box: Bounds | None) -> bytes:
        if box is None:
            return _png(1, (600, 500))  # the whole screen, before the click
        assert (box.x, box.y, box.width, box.height) == POPUP  # only the popup's box is read
        if self.undrawn > 0:
            self.undrawn -= 1
            return _png(1, POPUP[2:])  # not drawn yet: X shows what was beneath it, unchanged
        return _png(200, POPUP[2:])

    def click(self, x: int, y: int) -> None:
        self.clicks.append((x, y))
        self.open = False

    def press(self, keys: str) -> None:
        self.keys.append(keys)
        self.open = False


class Reader:
    name = "fake"

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def read(self, image: Image.Image, *, timeout: float) -> list[TextBox]:
        if image.getpixel((0, 0)) != (200, 0, 0):
            return [TextBox("Benjamin", Bounds(4, 4, 80, 14), 0.9)]  # what was beneath: never read as the list
        return [TextBox(o, Bounds(21, 22 + 30 * i, 8 * len(o), 11), 0.96) for i, o in enumerate(self.screen.options)]


def _list(screen: Screen) -> PopupList:
    return PopupList(screen.popups, screen.grab, screen.click, screen.press, lambda s: False, Reader(screen))


def _choose(screen: Screen, option: str, timeout: float = 5.0) -> None:
    chooser = _list(screen)
    chooser.choose(GTK4_COMBO, option, chooser.before_click(), timeout=timeout)


def test_the_option_is_clicked_where_the_popup_shows_it() -> None:
    screen = Screen(OPTIONS, undrawn=3)
    _choose(screen, "benjamin")
    assert screen.clicks == [(425 + 21 + 32, 269 + 22 + 90 + 5)]  # Benjamin's middle, in screen pixels
    assert screen.keys == []


def test_an_option_the_list_does_not_show_closes_it_and_names_what_it_shows() -> None:
    screen = Screen(OPTIONS)
    with pytest.raises(ActionFailed) as failed:
        _choose(screen, "Right", timeout=0.5)
    assert "'Right' is not in the list" in failed.value.message
    assert "'Andrea', 'Otto', 'Orville', 'Benjamin'" in failed.value.message
    assert screen.clicks == [] and screen.keys == ["Escape"]


def test_a_list_that_never_opens_is_said_in_time() -> None:
    screen = Screen(OPTIONS, late=10**6)
    started = time.monotonic()
    with pytest.raises(ActionFailed, match="did not open"):
        _choose(screen, "Otto", timeout=0.3)
    assert time.monotonic() - started < 2.0


def test_a_popup_open_before_the_click_is_not_the_list() -> None:
    screen = Screen(OPTIONS, late=0)
    screen.open = True
    with pytest.raises(ActionFailed, match="did not open"):
        _choose(screen, "Otto", timeout=0.3)


class Face:
    """The combo's face on screen: the reader says what it shows."""

    def __init__(self, *shown: str) -> None:
        self.shown = list(shown)
        self.looks = 0

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        assert bounds == FACE.bounds  # only the face is read
        self.looks += 1
        return _png(min(self.looks, len(self.shown) - 1))

    def wait_for_change(self, timeout: float) -> bool:
        return False

    def read(self, image: Image.Image, *, timeout: float) -> list[TextBox]:
        words = self.shown[image.getpixel((0, 0))[0]]  # type: ignore[index]
        return [TextBox(words, Bounds(8, 10, 50, 11), 0.96), TextBox("’", Bounds(106, 14, 8, 6), 0.0)]


def test_the_face_is_read_until_it_shows_the_option() -> None:
    face = Face("Andrea", "Andrea", "Benjamin")
    backend: Any = face
    read_back_face(backend, GTK4_COMBO, "Benjamin", timeout=5.0, engine=face)
    assert face.looks >= 2


def test_a_face_that_keeps_another_choice_fails_naming_it() -> None:
    face = Face("Larger", "Larger")
    backend: Any = face
    with pytest.raises(ActionFailed) as failed:
        read_back_face(backend, GTK4_COMBO, "Large", timeout=0.2, engine=face)
    assert "but it shows 'Larger' afterwards" in failed.value.message


def test_the_face_shows_the_option_word_for_word() -> None:
    def read(*texts: str) -> list[TextBox]:
        return [TextBox(t, Bounds(0, 0, 9, 9), 0.9) for t in texts]

    assert shows("Benjamin", read("Benjamin", "’"))
    assert shows("Sans Regular", read("Sans", "Regular"))
    assert not shows("Large", read("Larger"))
    assert not shows("Row 4", read("Row 40"))
    assert not shows("", read(""))
