"""The AT-SPI backend's sheet seam: tables whose cells are made on demand (backends.tables) and the text an
app offers for its selection (backends.selection, X11's PRIMARY).

A cell, a sheet's size and a mark are a call or two each: they go from the caller's thread on the app's
direct line where it has one (line_channel.py: no thread switch), a rectangle of cells through the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from deskhand.backends.atspi import table as cells
from deskhand.backends.atspi.bus import Channel
from deskhand.backends.atspi.direct_line import DirectLine
from deskhand.backends.atspi.line_channel import LINE_BATCH_AT_MOST, LineChannel, drive
from deskhand.backends.atspi.refs import split_ref


class TableSeam:
    """Part of :class:`~deskhand.backends.atspi.backend.AtspiBackend` (which supplies what is declared here)."""

    display: str
    _xselection: Any

    def direct_line(self, bus_name: str) -> DirectLine | None:
        raise NotImplementedError  # AtspiBackend's

    def run(self, coro: Any, timeout: float = 30.0) -> Any:
        raise NotImplementedError  # AtspiBackend's

    async def _channel(self, bus_name: str) -> Channel:
        raise NotImplementedError  # AtspiBackend's

    # ---- tables whose cells are made on demand (backends.tables) -------------------------------------
    def table_size(self, ref: str) -> tuple[int, int]:
        bus_name, path = split_ref(ref)
        return self._on_table(bus_name, lambda ch: cells.table_size(ch, path))  # type: ignore[no-any-return]

    def table_texts(self, ref: str, rows: range, columns: range) -> list[list[str]]:
        bus_name, path = split_ref(ref)
        # Two calls a cell: a few cells go on the direct line, a rectangle through the loop's window.
        small = 2 * len(rows) * len(columns) <= LINE_BATCH_AT_MOST
        return self._on_table(  # type: ignore[no-any-return]
            bus_name, lambda ch: cells.table_texts(ch, path, rows, columns), direct=small, timeout=120.0
        )

    def kept_cells(self, ref: str, rows: range, columns: range) -> list[tuple[int, int]]:
        bus_name, path = split_ref(ref)
        asked = [(row, column) for row in rows for column in columns]
        small = 2 * len(asked) <= LINE_BATCH_AT_MOST
        return self._on_table(  # type: ignore[no-any-return]
            bus_name, lambda ch: cells.kept_cells(ch, path, asked), direct=small, timeout=120.0
        )

    def focus_cell(self, ref: str, row: int, column: int) -> None:
        bus_name, path = split_ref(ref)
        self._on_table(bus_name, lambda ch: cells.focus_cell(ch, path, row, column))

    def cell_as_shown(
        self, ref: str, cell: tuple[int, int], shown_may_differ: Callable[[str], bool], timeout: float
    ) -> tuple[str, str | None]:
        bus_name, path = split_ref(ref)
        entered, index = self._on_table(bus_name, lambda ch: cells.text_and_index(ch, path, cell))
        # Asked on the caller's thread, between two trips: it may judge the mark (the guard's approval waits).
        if not self.display or index < 0 or not shown_may_differ(entered):
            return entered, None
        offers = self._selection()
        offers.claim()
        try:
            self._on_table(bus_name, lambda ch: cells.mark_alone(ch, path, cell, index))
            offered = offers.fresh_text(timeout)
            # The answer is this cell's only while it is the one cell marked (a key still on its way may
            # have marked more, or moved the mark): asked once the answer is in.
            alone = self._on_table(bus_name, lambda ch: cells.marked_alone(ch, path, index))
            return entered, offered if alone else None
        finally:
            self._on_table(bus_name, lambda ch: cells.unmark(ch, path))

    def select_tab(self, ref: str) -> None:
        bus_name, path = split_ref(ref)
        self.run(self._on_channel(bus_name, lambda ch: cells.select_tab(ch, path)))

    def _on_table(
        self,
        bus_name: str,
        call: Callable[[Any], Coroutine[Any, Any, Any]],
        *,
        direct: bool = True,
        timeout: float = 30.0,
    ) -> Any:
        line = self.direct_line(bus_name) if direct else None
        if line is not None:
            return drive(call(LineChannel(line)))
        return self.run(self._on_channel(bus_name, call), timeout=timeout)

    async def _on_channel(self, bus_name: str, call: Callable[[Channel], Any]) -> Any:
        return await call(await self._channel(bus_name))

    # ---- the text offered for the app's selection (backends.selection): X11's PRIMARY -----------------
    def claim_selection(self) -> None:
        if self.display:
            self._selection().claim()

    def selection_text(self, ref: str, timeout: float) -> str | None:
        return self._selection().fresh_text(timeout) if self.display else None

    def _selection(self) -> Any:
        if self._xselection is None:
            from deskhand.backends.atspi.xselection import XSelection

            self._xselection = XSelection(self.display)
        return self._xselection
