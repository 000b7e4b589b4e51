"""LibreOffice Calc: a cell reads as the sheet shows it through its number format, not as it was entered.

Calc's cells give their entered text over AT-SPI (1,234.50 reads ``1234.5``, 12.3% reads ``12.34%``); the shown
text comes from the cell marked alone and the text Calc offers for it (``locate/marked_cell.py``). Evidence: the
file Calc saves holds each cell's shown text (ODF's ``text:p``), parsed by odfpy; a value read and typed into
another cell arrives there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from odf.opendocument import load as load_odf
from odf.table import Table, TableCell, TableRow
from odf.text import P
from tests.integration.office import guarded_runner, launch_office, workflow_file

from deskhand.locate.cells import CellAddress, CellRange
from deskhand.locate.grids import TableGrid
from deskhand.locate.sheet import Sheet
from deskhand.policy.rules import Policy
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "office" / "formats.fods"


def test_number_cells_read_as_shown_and_the_cursor_stays(tmp_path: Path) -> None:
    book = shutil.copy(FORMATS, tmp_path / "formats.fods")
    saved = tmp_path / "saved.ods"
    steps = [
        'Switch to "formats.fods"',
        'Read cell "B1" as amount',
        'Type "{amount}" into cell "B3"',
        f'Save the file as "{saved}"',
    ]
    with guarded_runner() as guarded:
        launch_office(guarded.virtual, "--calc", str(book))
        workflow = load_workflow(workflow_file(tmp_path, "shown", "soffice", steps), allow_free_form=False)
        guarded.guarded.guard.policy = Policy.from_workflow(workflow)
        sheet = Sheet(guarded.desktop.app("soffice"))
        grid = sheet._found(None).grid
        assert isinstance(grid, TableGrid)
        grid.go_to(CellAddress(1, 3))
        one_by_one = [sheet.read(f"{column}1") for column in "ABCDEFG"]
        row = sheet.read_range("A1:G1")[0]
        entered = grid.table_texts(CellRange(0, 0, 0, 6))[0]
        cursor = grid.cursor()
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error["message"] if outcome.error else ""
    shown = _first_rows(saved, 3)
    assert one_by_one == shown[0] and row == shown[0]
    assert shown[0][1:5] == ["1,234.50", "03/05/24", "12.3%", "-$5.00"]  # the fixture's formats, as Calc saved them
    assert entered[1] == "1234.5" and entered[3] == "12.34%"  # what AT-SPI's text gives: not what the sheet shows
    assert cursor == CellAddress(1, 3)  # reading marked cells, not the cursor
    assert shown[2][1] == "1,234.50"  # read, typed, and into a cell of the same format: shown the same


def _first_rows(path: Path, count: int) -> list[list[str]]:
    document = load_odf(str(path))
    table = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in table.getElementsByType(TableRow)[:count]:
        cells: list[str] = []
        for cell in row.getElementsByType(TableCell):
            text = "".join(str(p) for p in cell.getElementsByType(P))
            cells += [text] * int(cell.getAttribute("numbercolumnsrepeated") or 1)
        rows.append(cells[:7])
    return rows
