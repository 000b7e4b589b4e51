"""Drawn views read from their own box (backends/screen/views.py): a selected row's light-on-dark text made
readable, the view's phrases as cells under its node with refs that hold the view's box, an unchanged picture
not read twice; and which phrase is a step's words (backends/screen/phrase.py)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from deskhand.backends.screen.ocr import TextBox, view_engine
from deskhand.backends.screen.phrase import phrase_of
from deskhand.backends.screen.tree import ScreenRef, parse_ref
from deskhand.backends.screen.views import ViewPixels, graft, readable
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

WHITE, BLACK, ACCENT = (255, 255, 255), (0, 0, 0), (53, 132, 228)  # Adwaita's selection blue


def _table() -> Image.Image:
    """Three rows of a list, the middle one selected: white words on the accent colour."""
    image = Image.new("RGB", (200, 66), WHITE)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("DejaVuSans.ttf", 12)
    draw.text((30, 4), "Andrea", fill=BLACK, font=font)
    draw.rectangle((0, 22, 199, 43), fill=ACCENT)
    draw.rectangle((6, 27, 17, 38), outline=WHITE)  # a check box beside the words
    draw.text((30, 26), "Otto", fill=WHITE, font=font)
    draw.text((30, 48), "Orville", fill=BLACK, font=font)
    return image


def test_a_selected_row_is_turned_dark_on_light_and_the_others_are_left_alone() -> None:
    made = readable(_table())
    band, text_line = made.getpixel((150, 24)), made.getpixel((150, 10))
    assert band[0] > 200 and text_line[0] > 200  # the selected band is light now, like the rows around it
    assert made.crop((30, 26, 60, 40)).convert("L").getextrema()[0] < 60  # its words dark
    assert made.getpixel((150, 55)) == (255, 255, 255)  # an unselected line unchanged
    read = view_engine().read(made, timeout=20)
    assert all(phrase_of(name, read) is not None for name in ("Andrea", "Otto", "Orville")), read
    assert phrase_of("Otto", view_engine().read(_table(), timeout=20)) is None  # as it is painted: lost


def test_a_cell_ref_holds_the_views_box_and_round_trips() -> None:
    ref = ScreenRef("cell", 0x42, Bounds(99, 55, 27, 9), area=Bounds(1113, 30, 203, 271))
    assert str(ref) == "screen:cell:0x42:99,55,27,9:1113,30,203,271"
    assert parse_ref(str(ref)) == ref
    assert parse_ref("screen:label:0x42:1,2,3,4") == ScreenRef("label", 0x42, Bounds(1, 2, 3, 4))


def test_cells_are_grafted_under_their_view_and_nothing_else_changes() -> None:
    view = Node(ref=":1.2|/v", role=Role.GENERIC, name="GtkTreeView")
    other = Node(ref=":1.2|/o", role=Role.BUTTON, name="OK")
    root = Node(
        ref=":1.2|/w", role=Role.WINDOW, children=(other, Node(ref=":1.2|/p", role=Role.GENERIC, children=(view,)))
    )
    cell = Node(ref="screen:cell:0x1:1,1,5,5:0,0,9,9", role=Role.CELL, name="Otto")
    grafted = graft(root, view.ref, (cell,))
    assert [n.name for n in grafted.walk() if n.role == Role.CELL] == ["Otto"]
    assert grafted.children[0] is other
    assert graft(root, ":1.2|/gone", (cell,)) is root


class Counting:
    name = "fake"

    def __init__(self) -> None:
        self.reads = 0

    def read(self, image: Image.Image, *, timeout: float) -> list[TextBox]:
        self.reads += 1
        return [TextBox("Otto", Bounds(30, 26, 27, 9), 0.96)]


def test_a_views_cells_are_placed_on_screen_and_an_unchanged_picture_is_not_read_again() -> None:
    shots: list[Bounds] = []

    def screenshot(bounds: Bounds) -> bytes:
        shots.append(bounds)
        out = io.BytesIO()
        _table().crop((0, 0, bounds.width, bounds.height)).save(out, format="PNG")
        return out.getvalue()

    engine = Counting()
    pixels = ViewPixels(engine, screenshot)
    origin, area = Bounds(100, 50, 1400, 700), Bounds(10, 20, 200, 66)  # the window, the view in it
    cells = pixels.cells(0x42, origin, area, "factory", (1280, 800))
    assert shots == [Bounds(110, 70, 200, 66)]  # the view's box alone is grabbed
    (cell,) = cells
    assert cell.role == Role.CELL and cell.name == "Otto" and cell.attributes["via"] == "screen"
    assert cell.bounds == Bounds(140, 96, 27, 9)  # on screen
    assert parse_ref(cell.ref) == ScreenRef("cell", 0x42, Bounds(40, 46, 27, 9), area=area)  # in the window
    assert pixels.cells(0x42, origin, area, "factory", (1280, 800)) == cells
    assert engine.reads == 1 and pixels.changes == 1


def test_the_words_are_found_among_glyphs_read_as_words_and_a_longer_word_is_not_them() -> None:
    read = [
        TextBox("ls o Otto", Bounds(0, 50, 126, 20), 0.4),  # a selected row's check box and icon read as words
        TextBox("Bottom", Bounds(0, 90, 50, 12), 0.9),
        TextBox("Charle magne", Bounds(0, 120, 90, 12), 0.9),  # one word read as two
    ]
    assert phrase_of("Otto", read) == Bounds(0, 50, 126, 20)
    assert phrase_of("Charlemagne", read) == Bounds(0, 120, 90, 12)
    assert phrase_of("Otto", read[1:]) is None  # "Bottom" is alike by letters, not the same word
