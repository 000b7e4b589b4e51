"""Gnumeric: the grid is drawn, not exposed; cells are reached through the Name Box and read from the edit
line. Evidence: a CSV the test wrote is read back cell by cell, and cells written by deskhand are in the file
Gnumeric saves (its gzipped XML, parsed with the standard library)."""

from __future__ import annotations

import csv
import gzip
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from tests.integration.office import guarded_runner, workflow_file

from deskhand.locate.sheet import Sheet
from deskhand.policy.rules import Policy
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


def test_a_formula_cell_reads_as_its_value_never_its_formula(tmp_path: Path) -> None:
    """Gnumeric draws a formula's result without exposing it: the edit line evaluates the expression (F9)
    and Escape leaves the cell as it was. Evidence: the value read and typed into another cell is in the file
    Gnumeric saved, next to the formula itself, unchanged."""
    book = tmp_path / "prices.csv"
    book.write_text("Item,Price\nTea,3\n", encoding="utf-8")
    out = tmp_path / "prices.gnumeric"
    steps = [
        'Switch to "prices.csv"',
        'Type "=B2*2" into cell "C2"',
        'Read cell "C2" as total',
        'Type "{total}0" into cell "D2"',
        'Expect cell "C2" to show "6"',
        f'Save the file as "{out}"',
    ]
    with guarded_runner(timeout=20) as guarded:
        guarded.virtual.launch(["gnumeric", str(book)], timeout=60)
        workflow = load_workflow(workflow_file(tmp_path, "gnf", "gnumeric", steps), allow_free_form=False)
        guarded.guarded.guard.policy = Policy.from_workflow(workflow)
        sheet = Sheet(guarded.desktop.app("gnumeric"))
        assert sheet.write("E2", '=A2&"!"') == '=A2&"!"'
        assert sheet.write("F2", "=1/0") == "=1/0"
        read = [sheet.read("E2"), sheet.read("F2")]
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error
    cells = _gnumeric_cells(out)
    assert (cells[(1, 2)], cells[(1, 3)], cells[(1, 4)]) == ("=B2*2", "60", '=A2&"!"')
    # Gnumeric's own converter computes the saved formulas: the values read are the ones it computes.
    exported = tmp_path / "prices.csv.out"
    subprocess.run(["ssconvert", "--export-type=Gnumeric_stf:stf_csv", str(out), str(exported)], check=True)
    computed = list(csv.reader(exported.read_text(encoding="utf-8").splitlines()))[1]
    assert read == computed[4:6] == ["Tea!", "#DIV/0!"]


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
