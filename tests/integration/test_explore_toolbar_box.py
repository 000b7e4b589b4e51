"""A new user's letter in LibreOffice Writer: font size and font name set in the Formatting toolbar's boxes,
a word made bold, saved as .docx (the Keep format question answered by the Save step). Evidence: the
saved file's runs read by python-docx.

The boxes are toolbar items (panels named "Font Size", "Font Name") holding a nameless combo entry; text
put in the entry changes nothing until Enter. Before locate/toolbar_box.py the step read the panel back
("holds no text or value"), and with only the entry filled it would have passed while the document kept
its old size.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from tests.integration.office import guarded_runner, launch_office, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def _draft(folder: Path) -> Path:
    """An empty document to open (LibreOffice started with --nodefault opens no window of its own)."""
    path = folder / "draft.docx"
    docx.Document().save(str(path))
    return path


def _runs(path: Path) -> list[tuple[str, float | None, str | None, bool | None]]:
    saved = docx.Document(str(path))
    return [
        (run.text, run.font.size.pt if run.font.size else None, run.font.name, run.bold)
        for paragraph in saved.paragraphs
        for run in paragraph.runs
        if run.text
    ]


def test_font_size_and_name_from_the_toolbar_and_a_bold_word_reach_the_saved_docx(tmp_path: Path) -> None:
    letter = tmp_path / "letter.docx"
    steps = [
        'Switch to "draft"',
        'Type "Dear Ada," at the end of the document',
        'Type "Thank you for the notes" at the end of the document',
        "Press Ctrl+A",
        'Set "Font Size" to 20',
        'Type "DejaVu Sans" into "Font Name"',
        "Press Ctrl+End",
        "Press Ctrl+Shift+Left",
        'Click "Bold"',
        f'Save the file as "{letter}"',
    ]
    with guarded_runner() as guarded:
        launch_office(guarded.virtual, "--writer", str(_draft(tmp_path)))
        workflow = load_workflow(workflow_file(tmp_path, "letter", "soffice", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error

    assert _runs(letter) == [
        ("Dear Ada,", 20.0, "DejaVu Sans", None),
        ("Thank you for the ", 20.0, "DejaVu Sans", None),
        ("notes", 20.0, "DejaVu Sans", True),
    ]


def test_a_size_the_box_rejects_fails_saying_what_it_shows(tmp_path: Path) -> None:
    steps = ['Switch to "draft"', 'Type "Dear Ada," at the end of the document', 'Set "Font Size" to "huge"']
    with guarded_runner(timeout=5.0) as guarded:
        launch_office(guarded.virtual, "--writer", str(_draft(tmp_path)))
        workflow = load_workflow(workflow_file(tmp_path, "bad", "soffice", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "to apply 'huge' on Enter" in outcome.error["message"], outcome.error
    assert "but the app holds '" in outcome.error["message"], outcome.error  # the size it kept, with its unit
