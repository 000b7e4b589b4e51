"""An optional seam for tables whose cells are made on demand (a spreadsheet's sheet).

LibreOffice Calc shows a sheet as one table with MANAGES_DESCENDANTS and 2^31 - 1 lazily made children: no
cell can be reached by walking the tree, and a walk must never try. A backend that can reach cells by row
and column (AT-SPI's Table interface) offers these calls; everything above asks ``supports_tables`` first.
"""

from __future__ import annotations

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

    def focus_cell(self, ref: str, row: int, column: int) -> None:
        """Move the keyboard focus (a sheet's cell cursor) to one cell."""
        ...

    def mark_cell(self, ref: str, cell: tuple[int, int] | None) -> None:
        """Mark (select) the cell (row, column) alone, or no cell for None, leaving the cursor where it is: a
        sheet offers one marked cell's shown text as its selection (``backends.selection``)."""
        ...

    def select_tab(self, ref: str) -> None:
        """Bring the tab ``ref`` to the front through its tab list's selection (sheet tabs have no action,
        and LibreOffice reports their place on screen ~20 px off, so a click would miss)."""
        ...


def supports_tables(backend: object) -> bool:
    return isinstance(backend, TableAccess)
