"""LibreOffice Writer: go to a heading, type into the document, read its text, Save As .docx and .odt with
the format question answered by the Save step. Evidence: the saved files parsed by python-docx and odfpy."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from odf import teletype
from odf.opendocument import load as load_odf
from odf.text import H
from odf.text import P as OdfParagraph
from tests.integration.office import guarded_runner, launch_office, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def _report(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Introduction", 1)
    document.add_paragraph("First paragraph.")
    for number in range(60):  # the heading below starts off screen: Writer exposes only what it laid out
        document.add_paragraph(f"Filler {number}.")
    document.add_heading("Results", 1)
    document.add_paragraph("The results are in.")
    document.save(str(path))
    return path


def test_heading_typing_reading_and_saving_in_both_formats(tmp_path: Path) -> None:
    report = _report(tmp_path / "report.docx")
    as_docx, as_odt = tmp_path / "out.docx", tmp_path / "out.odt"
    steps = [
        'Switch to "report"',
        'Go to the heading "Results"',
        'Type "Final "',
        'Type "Signed off by deskhand." at the end of the document',
        "Read the document as body",
        'Type "{body}" at the end of the document',
        f'Save the file as "{as_docx}"',
        f'Save the file as "{as_odt}"',
    ]
    with guarded_runner() as guarded:
        launch_office(guarded.virtual, "--writer", str(report))
        workflow = load_workflow(workflow_file(tmp_path, "doc", "soffice", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error

    saved = docx.Document(str(as_docx))
    headings = [p.text for p in saved.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings == ["Introduction", "Final Results"]
    texts = [p.text for p in saved.paragraphs]
    signed = texts.index("Signed off by deskhand.")
    assert texts[signed - 2 : signed + 1] == ["Final Results", "The results are in.", "Signed off by deskhand."]
    # The whole document as read — also the paragraphs Writer had not laid out (the start, the filler)
    # — typed back at the end, paragraph by paragraph.
    body = texts[signed + 1 :]
    assert body == texts[: signed + 1]
    assert body[:3] == ["Introduction", "First paragraph.", "Filler 0."]

    odt = load_odf(str(as_odt))
    odt_headings = [teletype.extractText(h) for h in odt.getElementsByType(H)]
    assert odt_headings == ["Introduction", "Final Results"]
    assert [teletype.extractText(p) for p in odt.getElementsByType(OdfParagraph)][-1] == "Signed off by deskhand."


def test_a_missing_heading_names_the_headings_there(tmp_path: Path) -> None:
    report = _report(tmp_path / "report.docx")
    with guarded_runner() as guarded:
        launch_office(guarded.virtual, "--writer", str(report))
        steps = ['Switch to "report"', 'Go to the heading "Resluts"']
        outcome = guarded.runner.run(load_workflow(workflow_file(tmp_path, "bad", "soffice", steps)), {})
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "no heading 'Resluts'" in outcome.error["message"]
    assert '"Results"' in outcome.error["candidates"]
