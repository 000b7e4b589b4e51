"""LibreOffice Calc: a cell reads as the sheet shows it through its number format, not as it was entered.

Calc's cells give their entered text over AT-SPI (1,234.50 reads ``1234.5``, 12.3% reads ``12.34%``); the shown
text comes from the cell marked alone and the text Calc offers for it (``locate/marked_cell.py``). Evidence: the
same file converted by LibreOffice itself to CSV with "save cell contents as shown"; a value read and typed into a
cell of the same format is in the file Calc saves (parsed by openpyxl) as that number in that format.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from tests.integration.office import guarded_runner, launch_office, workflow_file, write_profile

from deskhand.locate.cells import CellAddress, CellRange
from deskhand.locate.grids import TableGrid
from deskhand.locate.sheet import Sheet
from deskhand.policy.rules import Policy
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "office" / "formats.fods"
# CSV export: comma, quote, UTF-8, ..., token 9 "save cell contents as shown".
_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


def _shown_by_libreoffice(book: Path, folder: Path) -> list[str]:
    profile = write_profile(folder / "convert")
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", _AS_SHOWN]
    subprocess.run([*command, "--outdir", str(folder), str(book)], check=True, capture_output=True, timeout=120)
    return next(csv.reader((folder / f"{book.stem}.csv").read_text(encoding="utf-8").splitlines()))


def test_number_cells_read_as_shown_and_the_cursor_stays(tmp_path: Path) -> None:
    book = Path(shutil.copy(FORMATS, tmp_path / "formats.fods"))
    shown = _shown_by_libreoffice(book, tmp_path)
    saved = tmp_path / "saved.xlsx"
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
    assert one_by_one == shown and row == shown
    assert shown[1:5] == ["1,234.50", "03/05/24", "12.3%", "-$5.00"]  # the fixture's formats
    assert entered[1] == "1234.5" and entered[3] == "12.34%"  # what AT-SPI's text gives: not what the sheet shows
    assert cursor == CellAddress(1, 3)  # reading marked cells, not the cursor
    # Read as "1,234.50", typed into a cell of the same format: the same number, shown the same way.
    cell = openpyxl.load_workbook(saved).active["B3"]
    assert (cell.value, cell.number_format) == (1234.5, "#,##0.00")
