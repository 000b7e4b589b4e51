"""Gnumeric: the grid is drawn, not exposed; cells are reached through the Name Box and read from the edit
line. Evidence: a CSV the test wrote is read back cell by cell, and cells written by deskhand are in the file
Gnumeric saves (its gzipped XML, parsed with the standard library)."""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.etree import ElementTree

import pytest
from tests.integration.office import guarded_runner, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def test_cells_through_the_name_box_then_saved(tmp_path: Path) -> None:
    book = tmp_path / "people.csv"
    book.write_text("Name,Email,Seats\nAda,ada@example.org,3\nGrace,grace@example.org,5\n", encoding="utf-8")
    out = tmp_path / "out.gnumeric"
    steps = [
        'Switch to "people.csv"',
        'Read cell "B3" as email',
        'Read cell "Seats" of row 2 as seats',
        'Type "{email}" into cell "D2"',
        'Type "{seats}1" into cell "C3"',
        'Expect cell "A2" to show "Ada"',
        f'Save the file as "{out}"',
    ]
    with guarded_runner(timeout=20) as guarded:
        guarded.virtual.launch(["gnumeric", str(book)], timeout=60)
        workflow = load_workflow(workflow_file(tmp_path, "gn", "gnumeric", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error

    cells = _gnumeric_cells(out)
    assert cells[(1, 3)] == "grace@example.org"
    assert cells[(2, 2)] == "31"
    assert cells[(1, 0)] == "Ada"


def test_a_formula_cell_is_never_read_as_its_formula(tmp_path: Path) -> None:
    """Gnumeric draws a formula's result without exposing it: reading the cell fails and says so, rather
    than returning the formula's text as the value. The formula itself was committed (the saved file)."""
    book = tmp_path / "prices.csv"
    book.write_text("Item,Price\nTea,3\n", encoding="utf-8")
    out = tmp_path / "prices.gnumeric"
    steps = [
        'Switch to "prices.csv"',
        'Type "=B2*2" into cell "C2"',
        f'Save the file as "{out}"',
        'Read cell "C2" as total',
    ]
    with guarded_runner(timeout=20) as guarded:
        guarded.virtual.launch(["gnumeric", str(book)], timeout=60)
        workflow = load_workflow(workflow_file(tmp_path, "gnf", "gnumeric", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
    assert outcome.status == "failed" and outcome.error is not None
    assert outcome.error["step"] == 4
    assert "holds the formula '=B2*2'" in outcome.error["message"], outcome.error
    assert _gnumeric_cells(out)[(1, 2)] == "=B2*2"


def _gnumeric_cells(path: Path) -> dict[tuple[int, int], str]:
    """(row, column) → text of every cell of the first sheet of a .gnumeric file (gzipped XML)."""
    root = ElementTree.fromstring(gzip.decompress(path.read_bytes()))
    namespace = {"gnm": "http://www.gnumeric.org/v10.dtd"}
    sheet = root.find("gnm:Sheets/gnm:Sheet", namespace)
    assert sheet is not None
    return {
        (int(cell.attrib["Row"]), int(cell.attrib["Col"])): cell.text or ""
        for cell in sheet.iterfind("gnm:Cells/gnm:Cell", namespace)
    }
