"""Reading a LibreOffice Calc sheet of 10,000 cells (1,000 rows x 10 columns), against naive calls in the same run.

    python benchmarks/spreadsheet.py            a table
    python benchmarks/spreadsheet.py --json     {"cells": 10000, "one_cell_ms", "one_cell_naive_ms",
                                                 "one_number_cell_ms", "one_number_cell_naive_ms",
                                                 "rows_1000_ms", "rows_1000_naive_ms", ...}
    python benchmarks/spreadsheet.py --one-cell the one-cell reads only

One cell: ``Sheet.read("E500")`` — the whole step's work: find the sheet, check the address, read the cell —
against a naive reader that awaits ``GetAccessibleAt`` and ``GetText`` one call at a time; a number cell
``Sheet.read("K1")`` is read as shown: its entered text read, the cell marked alone, its shown text taken from the
PRIMARY selection, the mark taken away — against the same calls made plainly (awaited one at a time through the
loop; no sheet found, no guard). 1,000 rows:
``Sheet.read_range("A1:J1000")`` (the range selected through the Name Box, its text taken from the PRIMARY
selection and checked against the table) against the same naive reader cell by cell, and against deskhand's
own per-cell path (every cell through the Table interface, pipelined). Medians, each reading taken in turn
with its baseline (the machine's load changes by the second); the sheet is a CSV LibreOffice opens without
its import dialog.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.atspi.refs import split_ref
from deskhand.locate import Desktop
from deskhand.locate.cells import CellRange
from deskhand.locate.grids import TableGrid
from deskhand.locate.sheet import Sheet
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.sandbox import VirtualDesktop

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.integration.office import launch_office  # noqa: E402

ROWS, COLUMNS = 1000, 10


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    return _interleaved_ms({"it": action}, repeat)["it"]


def _interleaved_ms(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Each action's median time, the actions taken in turn: on a shared machine whose load changes by the
    second, a reading and its baseline then see the same load."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(taken) for name, taken in times.items()}


def _naive(backend: AtspiBackend, table_ref: str, cells: list[tuple[int, int]]) -> list[str]:
    """One call at a time, as a script using the Table interface without batching would."""
    bus_name, path = split_ref(table_ref)

    async def go() -> list[str]:
        channel = await backend._channel(bus_name)
        texts = []
        for row, column in cells:
            (cell,) = await channel.call(path, c.I_TABLE, "GetAccessibleAt", "ii", [row, column])
            (text,) = await channel.call(cell[1], c.I_TEXT, "GetText", "ii", [0, -1])
            texts.append(str(text))
        return texts

    return list(backend.run(go(), timeout=600))


def _naive_marked(backend: AtspiBackend, table_ref: str, cell: tuple[int, int]) -> str | None:
    """A number cell's shown text the plain way, by the calls deskhand makes: the cell's entered text (which
    the shown text must be checked against), the cell marked alone, the app's fresh PRIMARY answer, the mark
    taken away — awaited one at a time through the loop; no sheet found, no address checked, no guard."""
    bus_name, path = split_ref(table_ref)
    offers = backend._selection()

    async def entered() -> str:
        channel = await backend._channel(bus_name)
        (found,) = await channel.call(path, c.I_TABLE, "GetAccessibleAt", "ii", list(cell))
        (text,) = await channel.call(found[1], c.I_TEXT, "GetText", "ii", [0, -1])
        return str(text)

    async def mark(on: bool) -> None:
        channel = await backend._channel(bus_name)
        await channel.call(path, c.I_SELECTION, "ClearSelection")
        if on:
            (index,) = await channel.call(path, c.I_TABLE, "GetIndexAt", "ii", list(cell))
            await channel.call(path, c.I_SELECTION, "SelectChild", "i", [index])

    backend.run(entered())
    offers.claim()
    backend.run(mark(True))
    text = offers.fresh_text(2.0)
    backend.run(mark(False))
    return text  # type: ignore[no-any-return]


def measure(repeat: int, one_cell_only: bool = False) -> dict[str, float | int]:
    with VirtualDesktop(size=(1600, 1200)) as virtual:
        sheet_file = virtual.temp_dir / "big.csv"
        with sheet_file.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for row in range(ROWS):
                writer.writerow([f"r{row}c{column}" for column in range(COLUMNS)] + (["1234.5"] if row == 0 else []))
        launch_office(virtual, "--calc", "--infilter=CSV:44,34,76,1", str(sheet_file))
        # K1 holds a number (the CSV's first row has an 11th field), outside the 10 columns read below.
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        # Reads go through the policy guard, as a real run's do (the naive reader goes around it: it is the baseline).
        desk = Desktop(GuardedBackend(backend, Guard(policy=Policy(apps=("soffice",)))), timeout=30)
        sheet = Sheet(desk.app("soffice"))
        assert sheet.read("E500") == "r499c4" and sheet.read("K1") == "1234.5"
        table = desk.app("soffice").get_by_role("table").resolve().ref
        assert _naive(backend, table, [(499, 4)]) == ["r499c4"]
        assert _naive_marked(backend, table, (0, 10)) == "1234.5"
        # One cell first, as a step reads it in an app that has not yet made thousands of cell objects.
        result: dict[str, float | int] = {"cells": ROWS * COLUMNS}
        result |= _interleaved_ms(
            {
                "one_cell_ms": lambda: sheet.read("E500"),
                # A number shows through its format: its shown text comes from the cell marked alone (marked_cell).
                "one_number_cell_ms": lambda: sheet.read("K1"),
                "one_cell_naive_ms": lambda: _naive(backend, table, [(499, 4)]),
                "one_number_cell_naive_ms": lambda: _naive_marked(backend, table, (0, 10)),
            },
            repeat * 10,
        )
        result["number_cell_vs_naive"] = round(result["one_number_cell_ms"] / result["one_number_cell_naive_ms"], 2)
        if one_cell_only:
            backend.close()
            return result
        rows = sheet.read_range("A1:J1000")
        assert len(rows) == ROWS and rows[-1][-1] == f"r{ROWS - 1}c{COLUMNS - 1}"
        grid = sheet._found(None).grid
        everything = CellRange(0, 0, ROWS - 1, COLUMNS - 1)
        assert isinstance(grid, TableGrid) and grid.table_texts(everything) == rows
        all_cells = [(r, col) for r in range(ROWS) for col in range(COLUMNS)]
        result |= {
            "rows_1000_ms": _median_ms(lambda: sheet.read_range("A1:J1000"), repeat),
            "rows_1000_cells_ms": _median_ms(lambda: grid.table_texts(everything), repeat),
            "rows_1000_naive_ms": _median_ms(lambda: _naive(backend, table, all_cells), max(1, repeat // 2)),
            "used_area_ms": _median_ms(lambda: sheet.read_used(), repeat),
        }
        result["rows_speedup"] = round(result["rows_1000_naive_ms"] / result["rows_1000_ms"], 2)
        result["rows_speedup_vs_cells"] = round(result["rows_1000_cells_ms"] / result["rows_1000_ms"], 2)
        backend.close()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one-cell", action="store_true", help="only the one-cell reads (a minute, not ten)")
    args = parser.parse_args()
    result = measure(args.repeat, one_cell_only=args.one_cell)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for key, value in result.items():
        print(f"{key:>22}: {value:.1f}" if isinstance(value, float) else f"{key:>22}: {value}")


if __name__ == "__main__":
    main()
