"""Reading a LibreOffice Calc cell's text as Calc reports it over AT-SPI's Table interface (the sheet's cells
are made on demand: never walked), on a connection of its own: the read-back is not deskhand's."""

from __future__ import annotations

from collections.abc import Callable

from tests.coverage.cells import Probe, Verify

from deskhand.sandbox.a11y_bus import BusClient
from deskhand.tree.selector import Selector

TABLE = "org.a11y.atspi.Table"
TEXT = "org.a11y.atspi.Text"


def cell_text(probe: Probe, row: int, column: int) -> str:
    sheet = probe.desktop.app(probe.app).locator(Selector(role="table")).first.resolve()
    bus_name, _, path = sheet.ref.partition("|")
    with BusClient(probe.a11y_address, timeout=5.0) as a11y:
        ((cell_bus, cell_path),) = a11y.call(bus_name, path, TABLE, "GetAccessibleAt", "ii", [row, column])
        (text,) = a11y.call(str(cell_bus), str(cell_path), TEXT, "GetText", "ii", [0, -1])
    return str(text)


def cell_shows(row: int, column: int, holds: Callable[[str], bool], wanted: str) -> Verify:
    """The sheet's cell at (row, column) shows text for which ``holds`` is true (``wanted`` describes it)."""

    def verify(probe: Probe) -> str | None:
        text = cell_text(probe, row, column)
        return None if holds(text) else f"the sheet shows {text!r} in the cell, not {wanted}"

    return verify
