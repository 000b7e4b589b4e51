"""The step language's office forms: cells, ranges, documents, attachments — parsed and written back."""

from __future__ import annotations

import pytest

from deskhand.errors import WorkflowError
from deskhand.locate.cells import CellAddress, CellRange, column_index, column_letters, parse_cell, parse_range
from deskhand.workflows import actions as a
from deskhand.workflows.language import parse_step
from deskhand.workflows.parse import parse_workflow


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ('Read cell "B4" as total', a.ReadCell(a.Cell("B4"), "total")),
        ("Read cell B4 into total", a.ReadCell(a.Cell("B4"), "total")),
        ('Read the cell "Sheet2.B4" as total', a.ReadCell(a.Cell("Sheet2.B4"), "total")),
        ('Read cell "Email" of row 3 as email', a.ReadCell(a.Cell("Email", "3"), "email")),
        ('Read cell "Email" in row {row} as email', a.ReadCell(a.Cell("Email", "{row}"), "email")),
        ('Type "42" into cell "C3"', a.TypeCell("42", a.Cell("C3"))),
        ('Type "x" into cell "Email" of row 3', a.TypeCell("x", a.Cell("Email", "3"))),
        ('Fill cell "C3" with "hello"', a.TypeCell("hello", a.Cell("C3"))),
        ("Set cell C3 to 42", a.TypeCell("42", a.Cell("C3"))),
        ('Expect cell "C4" to show "55"', a.ExpectCell(a.Cell("C4"), "55")),
        ('Check that cell "A1" is "x"', a.ExpectCell(a.Cell("A1"), "x")),
        ('Read cells "A1:D20" as rows', a.ReadCells("rows", "A1:D20")),
        ("Read the used cells as rows", a.ReadCells("rows")),
        ('Read the used cells of sheet "Totals" as rows', a.ReadCells("rows", None, "Totals")),
        ("Read the sheet as rows", a.ReadCells("rows")),
        ('Type "Signed." at the end of the document', a.TypeInDocument("Signed.")),
        ("Read the document as body", a.ReadDocument("body")),
        ('Go to the heading "Results"', a.GoToHeading("Results")),
        ('Attach the file "/tmp/notes.txt"', a.AttachFile("/tmp/notes.txt")),
        ('Choose the file "/etc/os-release"', a.ChooseFile("/etc/os-release")),
        ('Pick file "~/report.ods"', a.ChooseFile("~/report.ods")),
        ('Select the file "{report}"', a.ChooseFile("{report}")),
    ],
)
def test_office_sentences_parse_and_write_back(sentence: str, action: a.StepAction) -> None:
    assert parse_step(sentence) == action
    assert parse_step(action.sentence()) == action


def test_a_chosen_file_needs_a_full_path() -> None:
    with pytest.raises(WorkflowError) as caught:
        parse_workflow('---\nname: pick\n---\n1. Choose the file "report.ods"\n', "pick.md")
    error = caught.value
    assert "not a full path" in error.message and error.line == 4 and "/home/me/report.ods" in error.hint
    # "Choose ... from ..." is still the option form.
    assert parse_step('Choose "Pro" from "Plan"') == a.Choose("Pro", a.Target("Plan"))


def test_general_forms_still_mean_elements() -> None:
    assert parse_step('Read "Total" as total') == a.Read(a.Target("Total"), "total")
    assert parse_step('Type "42" into "C3"') == a.TypeText("42", a.Target("C3"))
    assert parse_step('Type "x" into cell "Email" of row three') is None  # a row is a number


def test_addresses_as_people_write_them() -> None:
    assert parse_cell("C3") == CellAddress(2, 2)
    assert parse_cell("$C$3") == CellAddress(2, 2)
    assert parse_cell("Sheet2.B4") == CellAddress(3, 1, "Sheet2")
    assert parse_cell("Sheet2!B4") == CellAddress(3, 1, "Sheet2")
    assert parse_cell("'My sheet'.B4") == CellAddress(3, 1, "My sheet")
    assert str(CellAddress(3, 1, "My sheet")) == "'My sheet'.B4"
    for wrong in ("A0", "B4x", "Email", ""):
        assert parse_cell(wrong) is None
    assert parse_range("D20:A1") == CellRange(0, 0, 19, 3)
    assert parse_range("Sheet2.A1:B2") == CellRange(0, 0, 1, 1, "Sheet2")
    assert parse_range("A1:Sheet2.B2") is None
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert column_index("XFD") == 16383
