"""Reading a large range of a sheet the way a person copies it: select the range, take the text the app offers.

A person who wants 1,000 rows does not read 10,000 cells one by one: they select ``A1:J1000`` in the Name Box
and paste the selection. The sheet's app offers the shown text of a selected range as X's PRIMARY selection
(tab-separated rows) in one answer; through AT-SPI, the same rows cost one accessible object per cell
(LibreOffice Calc: ~2–6 s for 10,000 cells, against ~0.1 s; benchmarks/spreadsheet.py).

It is a shortcut that must prove itself, never a second source of truth: the answer must be fresh (the
app claimed the selection after the range was selected), have the range's exact shape (hidden or
filtered rows and cells holding a tab or line break break it), and agree with the cells read through the
table at the corners; a cell holding a quote (which the app may quote in its answer) is read through the
table. Anything else returns None and the caller reads every cell. The cell cursor goes back where it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, cast

from deskhand.backends.selection import SelectionText, supports_selection_text
from deskhand.locate.cells import CellAddress, CellRange
from deskhand.locate.marked_cell import may_be_formatted
from deskhand.locate.view import DesktopView
from deskhand.tree.node import Node


class SelectableGrid(Protocol):
    """What this needs of a sheet's grid (``grids.TableGrid``): its Name Box, and its cells one by one."""

    @property
    def desktop(self) -> DesktopView: ...

    @property
    def table(self) -> Node: ...

    @property
    def box(self) -> Node | None: ...

    def cursor(self) -> CellAddress | None: ...

    def size(self) -> tuple[int, int]: ...

    def table_texts(self, cells: CellRange) -> list[list[str]]: ...

    def type_into_name_box(self, where: str, before_enter: Callable[[], None] | None = None) -> None: ...


# Below this many cells the per-cell read is quick (~50 ms) and leaves the person's selection alone.
SELECTION_FROM_CELLS = 256
_QUOTED_AT_MOST = 64  # more cells holding quotes than this: reading every cell is as quick
_ANSWER_S = 5.0  # how long the app may take to claim the selection after Enter
_FIRST_ANSWER_S = 1.5  # the first selection's answer (~0.1 s when it comes) before it is made again
_ASK_AGAIN_S = 0.02  # between asks while the answer has another shape


def read_by_selection(
    grid: SelectableGrid, cells: CellRange, values: list[list[str]] | None = None
) -> list[list[str]] | None:
    """The rows of ``cells`` as the sheet shows them, from the app's selection and checked against the
    table (``values``: the cells' texts through the table, when already read); None: no checked answer."""
    backend = grid.desktop.backend
    if grid.box is None or not supports_selection_text(backend):
        return None
    # One selected cell is no range: the app offers nothing for it. Select it with its neighbour.
    single = len(cells.rows) == 1 and len(cells.columns) == 1
    asked = cells
    if single:
        left = cells.left - 1 if cells.left > 0 and cells.left + 1 >= grid.size()[1] else cells.left
        asked = CellRange(cells.top, left, cells.top, left + 1)
    offers = cast(SelectionText, backend)
    before = grid.cursor() or CellAddress(cells.top, cells.left)
    try:
        corners = CellRange(asked.top, asked.left, asked.bottom, asked.right)
        # Calc does not offer a range again while it believes its last offer stands (the same range asked
        # twice got no answer): a neighbouring range first makes the wanted one a change it offers. It
        # still left one selection in ~5 unoffered (measured, cause not found): then the selection is
        # made once more, from the other side. Whatever comes is checked as below.
        rows = None
        for side, wait in ((1, _FIRST_ANSWER_S), (-1, _ANSWER_S)):
            grid.type_into_name_box(str(_neighbour(asked, grid.size(), side)))
            grid.type_into_name_box(str(corners), before_enter=offers.claim_selection)
            rows = _answer(offers, grid.table.ref, asked, min(grid.desktop.timeout, wait))
            if rows is not None:
                break
    finally:
        grid.type_into_name_box(before.name)
    if rows is not None and single:
        rows = [[rows[0][cells.left - asked.left]]]
    if rows is None or not _agrees(grid, cells, rows, values):
        return None
    return rows


def _answer(offers: SelectionText, ref: str, asked: CellRange, timeout: float) -> list[list[str]] | None:
    """The app's answer in the range's shape. The Name Box may claim the selection for its own text after
    deskhand did (the app's X requests reach the server in its own time), then the sheet claims it on
    Enter; the app may also refuse a conversion while it makes its answer. Another shape, or no answer, is
    asked again until the sheet's comes or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        text = offers.selection_text(ref, max(deadline - time.monotonic(), 0.0))
        # The Name Box's own text (the address typed) is its answer, not the sheet's.
        mine = text is not None and text.strip().replace("$", "").casefold() == str(asked).casefold()
        rows = None if text is None or mine else _shaped(text, len(asked.rows), len(asked.columns))
        if rows is not None or time.monotonic() >= deadline:
            return rows
        time.sleep(_ASK_AGAIN_S)


def _neighbour(cells: CellRange, size: tuple[int, int], side: int) -> CellRange:
    """The range grown by a row (down for side 1, up for -1, where there is one; else by a column): another
    range, next to the one asked for."""
    rows, columns = size
    if cells.bottom + 1 < rows and (side > 0 or cells.top == 0):
        return CellRange(cells.top, cells.left, cells.bottom + 1, cells.right)
    if cells.top > 0:
        return CellRange(cells.top - 1, cells.left, cells.bottom, cells.right)
    return CellRange(cells.top, cells.left, cells.bottom, cells.right + 1 if cells.right + 1 < columns else cells.right)


def _shaped(text: str, height: int, width: int) -> list[list[str]] | None:
    """Rows of ``width`` cells. The app leaves out a row's empty cells at its end and empty rows at the end
    of the range (Calc: "0.13" for C2:D2 with D2 empty): those are empty; more than the range is wrong."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the answer ends with a line break
    rows = [line.removesuffix("\r").split("\t") for line in lines]
    if len(rows) > height or any(len(row) > width for row in rows):
        return None
    rows += [[] for _ in range(height - len(rows))]
    return [row + [""] * (width - len(row)) for row in rows]


def _agrees(grid: SelectableGrid, cells: CellRange, rows: list[list[str]], values: list[list[str]] | None) -> bool:
    """Cells that are not numbers (a number shows through its format) must read the same through the table:
    every cell when their texts are at hand, else the corners; cells holding a quote (which the app may
    quote in its answer) take the table's text."""
    height, width = len(cells.rows), len(cells.columns)
    if values is not None:
        checks = {(r, c) for r in range(height) for c in range(width)}
    else:
        checks = {(0, 0), (0, width - 1), (height - 1, 0), (height - 1, width - 1)}
    quoted = {(r, c) for r, row in enumerate(rows) for c, text in enumerate(row) if '"' in text}
    if len(quoted) > _QUOTED_AT_MOST:
        return False
    for r, c in sorted(checks | quoted):
        if values is not None:
            through_table = values[r][c]
        else:
            here = CellRange(cells.top + r, cells.left + c, cells.top + r, cells.left + c)
            through_table = grid.table_texts(here)[0][0]
        number = may_be_formatted(through_table)
        if (r, c) in quoted:
            rows[r][c] = through_table
        elif number and not rows[r][c]:
            return False  # a number always shows something (at least ###)
        elif not number and through_table != rows[r][c]:
            return False
    return True
