"""A new user's office morning on a 1280x800 desktop, apps opened by the names the menu shows: a budget in
LibreOffice Calc (a formula, a sheet renamed, saved as .xlsx), then a note in LibreOffice Writer opened while
Calc runs, with a word replaced through Find & Replace, an indent set in Format > Paragraph, and the file
saved while Find & Replace is still open.
Evidence: the .xlsx read by openpyxl, the .docx by python-docx.

What failed before: `apps: [soffice]` (the name `deskhand apps` shows) refused `Open "LibreOffice Calc"`,
whose entry runs `libreoffice`, a link to soffice; `Open "LibreOffice Writer"` found the running soffice and
reported it open with no Writer window (the next steps typed into Calc); "Find" resolved to the shown
buttons "Find All"/"Find Next" rather than the field its label names (a combo VCL keeps hidden beside the
entry it draws); the Save step took the first dialog of the app (Find & Replace) for its Save dialog; and
"Format > Paragraph..." was ambiguous between the menu bars of Calc's and Writer's windows (one process).
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from docx.shared import Cm, Inches
from tests.integration.office import guarded_runner, workflow_file, write_profile

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def test_calc_then_writer_opened_by_name_with_find_and_replace_open_at_the_save(tmp_path: Path) -> None:
    budget, note = tmp_path / "budget.xlsx", tmp_path / "note.docx"
    steps = [
        'Open "LibreOffice Calc"',
        'Type "Rent" into cell "A1"',
        'Type "1200" into cell "B1"',
        'Type "=B1*12" into cell "B2"',
        'Expect cell "B2" to show "14400"',
        'Click "Sheet > Rename Sheet..."',
        'Type "Budget" into "Name"',
        'Click "OK"',
        f'Save the file as "{budget}"',
        'Open "LibreOffice Writer"',
        'Type "The cat sat on the mat." at the end of the document',
        'Click "Format > Paragraph..."',
        'Click "Indents & Spacing"',
        'Set "Before text" to 2',
        'Click "OK"',
        "Press Ctrl+H",
        'Type "cat" into "Find"',
        'Type "dog" into "Replace"',
        'Click "Replace All"',
        'Switch to "LibreOffice Writer"',
        f'Save the file as "{note}"',
    ]
    with guarded_runner(size=(1280, 800)) as guarded:
        # The profile a person's LibreOffice would have after its first start (no tips, no autocorrect).
        write_profile(Path(guarded.virtual.env["XDG_CONFIG_HOME"]) / "libreoffice" / "4")
        workflow = load_workflow(workflow_file(tmp_path, "morning", "soffice", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error

    sheet = openpyxl.load_workbook(budget).active
    assert sheet is not None
    assert (sheet.title, sheet["A1"].value, sheet["B1"].value, sheet["B2"].value) == ("Budget", "Rent", 1200, "=B1*12")
    paragraphs = [p for p in docx.Document(str(note)).paragraphs if p.text]
    assert [p.text for p in paragraphs] == ["The dog sat on the mat."]
    assert paragraphs[0].paragraph_format.left_indent in (Inches(2), Cm(2))  # in the locale's unit
