"""Reading a large range of a sheet the way a person copies it: select the range, take the text the app offers.

A person who wants 1,000 rows does not read 10,000 cells one by one: they select ``A1:J1000`` in the Name Box
and paste the selection. The sheet's app offers the shown text of a selected range as X's PRIMARY selection
(tab-separated rows) in one answer; through AT-SPI, the same rows cost one accessible object per cell
(LibreOffice Calc: ~2–6 s for 10,000 cells, against ~0.1 s; benchmarks/spreadsheet.py).

It is a shortcut that must prove itself, never a second source of truth: the answer must be fresh (the
backend owned the selection just before the range was selected), have the range's exact shape (hidden or
filtered rows and cells holding a tab or line break break it), and agree with the cells read through the
table at the corners; a cell holding a quote (which the app may quote in its answer) is read through the
table. Anything else returns None and the caller reads every cell. The cell cursor goes back where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

from deskhand.backends.selection import SelectionText, supports_selection_text
from deskhand.locate.cells import CellAddress, CellRange
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

    def table_texts(self, cells: CellRange) -> list[list[str]]: ...

    def type_into_name_box(self, where: str, before_enter: Callable[[], None] | None = None) -> None: ...


# Below this many cells the per-cell read is quick (~50 ms) and leaves the person's selection alone.
SELECTION_FROM_CELLS = 256
_QUOTED_AT_MOST = 64  # more cells holding quotes than this: reading every cell is as quick
_ANSWER_S = 5.0  # how long the app may take to claim the selection after Enter


def read_by_selection(grid: SelectableGrid, cells: CellRange) -> list[list[str]] | None:
    """The rows of ``cells`` from the app's selection, checked against the table; None: read cell by cell."""
    backend = grid.desktop.backend
    count = len(cells.rows) * len(cells.columns)
    if count < SELECTION_FROM_CELLS or grid.box is None or not supports_selection_text(backend):
        return None
    offers = cast(SelectionText, backend)
    before = grid.cursor() or CellAddress(cells.top, cells.left)
    try:
        corners = CellRange(cells.top, cells.left, cells.bottom, cells.right)
        grid.type_into_name_box(str(corners), before_enter=offers.claim_selection)
        text = offers.selection_text(grid.table.ref, min(grid.desktop.timeout, _ANSWER_S))
    finally:
        grid.type_into_name_box(before.name)
    if text is None:
        return None
    rows = _shaped(text, len(cells.rows), len(cells.columns))
    if rows is None or not _agrees(grid, cells, rows):
        return None
    return rows


def _shaped(text: str, height: int, width: int) -> list[list[str]] | None:
    lines = text.split("\n")
    if lines and lines[-1] == "" and len(lines) == height + 1:
        lines.pop()  # the answer ends with a line break
    rows = [line.removesuffix("\r").split("\t") for line in lines]
    if len(rows) != height or any(len(row) != width for row in rows):
        return None
    return rows


def _agrees(grid: SelectableGrid, cells: CellRange, rows: list[list[str]]) -> bool:
    """The corners and every cell holding a quote, read through the table, must say the same; quoted cells
    take the table's text."""
    checks = {(0, 0), (0, len(cells.columns) - 1), (len(cells.rows) - 1, 0)}
    checks.add((len(cells.rows) - 1, len(cells.columns) - 1))
    quoted = {(r, c) for r, row in enumerate(rows) for c, text in enumerate(row) if '"' in text}
    if len(quoted) > _QUOTED_AT_MOST:
        return False
    for r, c in sorted(checks | quoted):
        address = CellRange(cells.top + r, cells.left + c, cells.top + r, cells.left + c)
        shown = grid.table_texts(address)[0][0]
        if (r, c) in quoted:
            rows[r][c] = shown
        elif shown != rows[r][c]:
            return False
    return True
