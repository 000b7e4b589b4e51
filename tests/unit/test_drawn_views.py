"""Views that draw their rows without listing them (locate/drawn_views.py): which views count, and the search
that scrolls one with the wheel, reading it after each turn, until the words show or the view stops moving."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from PIL import Image

from deskhand.backends.screen.ocr import TextBox
from deskhand.backends.screen.phrase import phrase_of
from deskhand.locate import drawn_views as module
from deskhand.locate.drawn_views import NOTCHES, Search, drawn_views
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

BOX = Bounds(10, 50, 200, 100)
ROWS = [f"Person {n}" for n in range(1, 31)] + ["Attila the Hun"]
SHOWN = 5  # rows the view shows at once


@pytest.fixture(autouse=True)
def _quick_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake view draws a scroll at once: an unchanged picture is its end without waiting out 2 s."""
    monkeypatch.setattr(module, "MOVED_WAIT_S", 0.01)


def _view(name: str = "GtkTreeView", children: tuple[Node, ...] = ()) -> Node:
    header = Node(ref=":1.2|/h", role=Role.BUTTON, name="GtkButton")
    return Node(ref=f":1.2|/{name}", role=Role.GENERIC, name=name, bounds=BOX, children=(header, *children))


class Drawn:
    """A view of ROWS on screen: the wheel moves it a row per notch; its picture's shade of grey tells its
    offset (the search reads the view in grey)."""

    def __init__(self, start: int = 0, shown_refs: tuple[str, ...] = (":1.2|/GtkTreeView",)) -> None:
        self.offset = start
        self.scrolls: list[str] = []
        self.notches: list[int] = []
        self.shown_refs = shown_refs

    def contains_point(self, ref: str, x: int, y: int) -> bool:
        return ref in self.shown_refs

    def scroll(self, ref: str, direction: str, amount: int = 3) -> None:
        self.scrolls.append(direction)
        self.notches.append(amount)
        step = amount if direction == "down" else -amount
        self.offset = max(0, min(len(ROWS) - SHOWN, self.offset + step))

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        out = io.BytesIO()
        shade = self.offset * 8
        Image.new("RGB", (4, BOX.height), (shade, shade, shade)).save(out, format="PNG")
        return out.getvalue()

    def wait_for_change(self, timeout: float) -> bool:
        return False


class Reader:
    """Reads the rows the view shows, each 20 px tall with its text ``top`` px into it (5: all in view)."""

    name = "fake"

    def __init__(self, top: int = 5) -> None:
        self.top = top

    def read(self, image: Image.Image, *, timeout: float) -> list[TextBox]:
        offset = image.getpixel((0, 0))[0] // 8  # type: ignore[index]
        rows = ROWS[offset : offset + SHOWN]
        return [TextBox(f"v {row}", Bounds(4, 20 * i + self.top, 80, 10), 0.9) for i, row in enumerate(rows)]


def _search(backend: Drawn, words: str, reader: Reader | None = None) -> Search:
    any_backend: Any = backend
    return Search(any_backend, reader or Reader(), _view(), words, time.monotonic() + 30)


def test_only_shown_views_that_list_no_rows_are_drawn_views() -> None:
    listed = _view(children=(Node(ref=":1.2|/r", role=Role.ROW, name="Charlemagne"),))
    hidden = _view("GtkIconView")
    root = Node(ref=":1.2|/w", role=Role.WINDOW, children=(_view(), listed, hidden))
    assert [v.name for v in drawn_views(root, Drawn())] == ["GtkTreeView"]  # type: ignore[arg-type]
    assert drawn_views(root, object()) == []  # type: ignore[arg-type]  # a desktop that cannot tell: none


def test_a_row_below_the_fold_is_scrolled_in_a_few_notches_at_a_time() -> None:
    backend = Drawn()
    search = _search(backend, "Attila the Hun")
    assert search.bring_in() and search.found
    assert set(backend.scrolls) == {"down"} and len(backend.scrolls) == -(-(len(ROWS) - SHOWN) // NOTCHES)


def test_a_row_found_cut_by_the_bottom_edge_is_turned_one_notch_further_in() -> None:
    backend = Drawn()
    search = _search(backend, "Person 10", Reader(top=9))  # the last row shown ends 1 px above the edge
    assert search.bring_in()
    assert backend.notches == [NOTCHES, 1] and backend.scrolls == ["down", "down"]
    assert backend.offset == NOTCHES + 1


def test_a_row_above_is_found_after_the_view_showed_its_end() -> None:
    backend = Drawn(start=20)
    assert _search(backend, "Person 2").bring_in()
    assert backend.scrolls[0] == "down" and backend.scrolls[-1] == "up"


def test_words_the_view_never_shows_end_the_search_with_every_row_seen() -> None:
    backend = Drawn(start=12)
    search = _search(backend, "Pippin the Hunchback")
    assert not search.bring_in()
    assert {row for row in ROWS} <= {text.removeprefix("v ") for text in search.seen}
    assert len(backend.scrolls) < 20  # it stopped at each end: the picture did not change


def test_a_glyph_read_as_a_letter_beside_the_words_does_not_hide_them() -> None:
    read = [TextBox("y Charlemagne", Bounds(7, 5, 104, 19), 0.96), TextBox("~ Rotrude", Bounds(44, 146, 69, 18), 0.9)]
    assert phrase_of("Charlemagne", read) == Bounds(7, 5, 104, 19)
    assert phrase_of("Rotrude", read) == Bounds(44, 146, 69, 18)
    assert phrase_of("Pepin", read) is None


def test_a_phrase_with_other_numbers_is_another_row() -> None:
    read = [TextBox("Row 40", Bounds(4, 2, 50, 14), 0.9), TextBox("Row 4", Bounds(4, 22, 44, 14), 0.9)]
    assert phrase_of("Row 4", read) == Bounds(4, 22, 44, 14)
    assert phrase_of("Row 41", read) is None
