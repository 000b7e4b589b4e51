"""A dialog taller than the screen: LibreOffice's Save As chooser (GTK3, buttons at the bottom, ~840 px
tall) on the 1280x800 desktop `deskhand desktop up` makes. Its Save button lies below the screen's edge,
where X cannot put the pointer: the click landed on the edge and the chooser stayed open. Out of the
pointer's reach, a click is the button's own action. Evidence: the .odt written, read by odfpy.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from odf import teletype
from odf.opendocument import load as load_odf
from odf.text import P as OdfParagraph
from tests.integration.office import guarded_runner, launch_office, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def _draft(folder: Path) -> Path:
    """An empty document to open (LibreOffice started with --nodefault opens no window of its own)."""
    path = folder / "draft.docx"
    docx.Document().save(str(path))
    return path


def test_save_as_through_a_chooser_taller_than_the_screen(tmp_path: Path) -> None:
    saved = tmp_path / "minutes.odt"
    steps = [
        'Switch to "draft"',
        'Type "Minutes of the meeting" at the end of the document',
        f'Save the file as "{saved}"',
    ]
    with guarded_runner(size=(1280, 800)) as guarded:
        launch_office(guarded.virtual, "--writer", str(_draft(tmp_path)))
        workflow = load_workflow(workflow_file(tmp_path, "minutes", "soffice", steps), allow_free_form=False)
        outcome = guarded.runner.run(workflow, {})
        assert outcome.status == "succeeded", outcome.error

    texts = [teletype.extractText(p) for p in load_odf(str(saved)).getElementsByType(OdfParagraph)]
    assert "Minutes of the meeting" in texts
