"""Which entered texts may show otherwise through a number format (locate/marked_cell.py); a formula value's text
(locate/formula_value.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

import pytest

from deskhand.errors import ActionFailed
from deskhand.locate.cells import CellAddress, CellRange
from deskhand.locate.formula_value import _unquoted
from deskhand.locate.grids import shown_as_entered
from deskhand.locate.marked_cell import may_be_formatted, read_kept
from deskhand.locate.view import DesktopView


@pytest.mark.parametrize("entered", ["1234.5", "-5", "0", "12.34%", "03/05/2024", "12:30:00 PM", "1E+20", "$5"])
def test_numbers_dates_times_and_percentages_may_show_through_a_format(entered: str) -> None:
    assert may_be_formatted(entered)


@pytest.mark.parametrize("entered", ["", "Ada", "r499c4", "TRUE", "2024 Q1", "ada@example.org", "Room 12B"])
def test_text_shows_as_entered(entered: str) -> None:
    assert not may_be_formatted(entered)


@pytest.mark.parametrize(
    ("constant", "text"),
    [("6", "6"), ('"Tea!"', "Tea!"), ('"say \\"hi\\" \\\\ bye"', 'say "hi" \\ bye'), ("#DIV/0!", "#DIV/0!")],
)
def test_a_formula_value_of_text_is_unquoted(constant: str, text: str) -> None:
    assert _unquoted(constant) == text


def test_text_without_the_apps_shown_text_reads_as_entered() -> None:
    assert shown_as_entered(CellRange(0, 0, 0, 1), [["Ada", ""]]) == [["Ada", ""]]


def test_a_number_without_the_apps_shown_text_fails_naming_the_cell() -> None:
    # Its entered text is not what the sheet shows through a format ("1234.5" shown as 1234.500).
    with pytest.raises(ActionFailed, match=r"Cannot read B3 as the sheet shows it: it holds the number '1234.5'"):
        shown_as_entered(CellRange(1, 0, 2, 1), [["Ada", "x"], ["Bo", "1234.5"]])


class _KeptSheet:
    """A sheet whose cursor cell's object is kept stale ('moved'): what the app offers for it marked alone is
    ``offered`` (None: no answer that proves itself)."""

    def __init__(self, offered: str | None) -> None:
        self.offered = offered
        self.marked: list[tuple[int, int]] = []

    def cell_as_shown(
        self, ref: str, cell: tuple[int, int], shown_may_differ: Callable[[str], bool], timeout: float
    ) -> tuple[str, str | None]:
        assert shown_may_differ("moved")  # marked whatever its stale text says
        self.marked.append(cell)
        return "moved", self.offered


class _View:
    def __init__(self, backend: _KeptSheet) -> None:
        self.backend = backend
        self.timeout = 5.0


@pytest.mark.parametrize("offered", ["", "1,234.50", 'say "hi"'])
def test_a_kept_cell_reads_as_the_app_offers_it_marked_alone(offered: str) -> None:
    sheet = _KeptSheet(offered)
    assert read_kept(cast(DesktopView, _View(sheet)), "table", CellAddress(4, 0)) == offered
    assert sheet.marked == [(4, 0)]


@pytest.mark.parametrize(("offered", "why"), [(None, r"marked alone\.$"), ('"a\nb"', "tab or line break")])
def test_a_kept_cell_without_a_proven_answer_fails_never_stale(offered: str | None, why: str) -> None:
    with pytest.raises(ActionFailed, match=r"Cannot read A5 afresh: it is under the cell cursor") as failed:
        read_kept(cast(DesktopView, _View(_KeptSheet(offered))), "table", CellAddress(4, 0))
    assert re.search(why, str(failed.value.args[0]))
