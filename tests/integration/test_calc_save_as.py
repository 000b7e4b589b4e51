"""LibreOffice Calc: "Save the file as" into LibreOffice's own format, from a flat-XML (.fods) document.

Saving in its own format asks no question, so the document's window takes the file's name at once; a name
holding "save" ("saved.ods - LibreOffice Calc") also matches the Save dialog's title, and the step, which
waited for a window called "Save" to go, said the dialog stayed open after the file was written (6 of 8
runs under load). The step now waits for the dialog it opened, by its element. Evidence: the saved file,
parsed by odfpy, holds the cell typed before the save.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from odf.opendocument import load as load_odf
from odf.table import Table, TableCell, TableRow
from odf.text import P
from tests.integration.office import guarded_runner, launch_office, workflow_file

from deskhand.policy.rules import Policy
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "office" / "formats.fods"


def test_a_fods_document_saved_as_ods_named_saved(tmp_path: Path) -> None:
    book = Path(shutil.copy(FORMATS, tmp_path / "formats.fods"))
    saved = tmp_path / "saved.ods"
    steps = ['Switch to "formats.fods"', 'Type "42" into cell "A3"', f'Save the file as "{saved}"']
    with guarded_runner() as guarded:
        launch_office(guarded.virtual, "--calc", str(book))
        workflow = load_workflow(workflow_file(tmp_path, "save-as", "soffice", steps), allow_free_form=False)
        guarded.guarded.guard.policy = Policy.from_workflow(workflow)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error["message"] if outcome.error else ""
    assert _cell(saved, row=2, column=0) == "42"


def _cell(path: Path, *, row: int, column: int) -> str:
    table = load_odf(str(path)).spreadsheet.getElementsByType(Table)[0]
    cells: list[str] = []
    for cell in table.getElementsByType(TableRow)[row].getElementsByType(TableCell):
        text = "".join(str(p) for p in cell.getElementsByType(P))
        cells += [text] * int(cell.getAttribute("numbercolumnsrepeated") or 1)
    return cells[column]
