"""An optional seam for tables whose cells are made on demand (a spreadsheet's sheet).

LibreOffice Calc shows a sheet as one table with MANAGES_DESCENDANTS and 2^31 - 1 lazily made children: no
cell can be reached by walking the tree, and a walk must never try. A backend that can reach cells by row
and column (AT-SPI's Table interface) offers these calls; everything above asks ``supports_tables`` first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable


@runtime_checkable
class TableAccess(Protocol):
    """Cells of the table element ``ref`` by 0-based row and column."""

    def table_size(self, ref: str) -> tuple[int, int]:
        """(rows, columns) the table says it has."""
        ...

    def table_texts(self, ref: str, rows: range, columns: range) -> list[list[str]]:
        """The shown text of every cell in the rectangle, row by row."""
        ...

    def kept_cells(self, ref: str, rows: range, columns: range) -> list[tuple[int, int]]:
        """The cells of the rectangle whose object the table keeps rather than making it anew when asked
        (LibreOffice Calc keeps its cursor cell's, and does not refresh that object's text when cells move
        under it or the cell is cleared: it reads stale until the cursor moves)."""
        ...

    def focus_cell(self, ref: str, row: int, column: int) -> None:
        """Move the keyboard focus (a sheet's cell cursor) to one cell."""
        ...

    def cell_as_shown(
        self, ref: str, cell: tuple[int, int], shown_may_differ: Callable[[str], bool], timeout: float
    ) -> tuple[str, str | None]:
        """The text of the cell (row, column) as entered; and, where ``shown_may_differ(entered)`` says so, the
        text the app offers for its selection (``backends.selection``: a sheet offers a marked cell's shown
        text there) once the cell is marked alone, the cursor left where it is — None when it offers none
        within ``timeout``, or the cell is no longer the one marked once the answer is in; every cell is
        unmarked afterwards. One call, so a guard judges it as one read of a marked cell; ``shown_may_differ``
        is asked on the caller's thread, only where a mark can be made."""
        ...

    def select_tab(self, ref: str) -> None:
        """Bring the tab ``ref`` to the front through its tab list's selection (sheet tabs have no action,
        and LibreOffice reports their place on screen ~20 px off, so a click would miss)."""
        ...


def supports_tables(backend: object) -> bool:
    return isinstance(backend, TableAccess)
