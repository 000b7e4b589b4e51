"""mousepad (GTK3): type text, save it through its own Save As dialog, and read the file back.

The dialog's Save button opens nothing modal, but the backend presses GTK3 buttons with an X click anyway:
a DoAction that opens a modal would freeze the app's AT-SPI (PLATFORM-NOTES).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate import Desktop, expect
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

TEXT = "Dear diary,\ndeskhand typed this through AT-SPI.\n"


@pytest.fixture(scope="module")
def session() -> Iterator[tuple[VirtualDesktop, Desktop]]:
    # GTK's file chooser is ~840 px tall: on an 800 px screen its name field and Save button are off screen.
    with VirtualDesktop(size=(1600, 1200)) as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=5.0) as desk:
            yield virtual, desk


def test_type_and_save_through_the_dialog(session: tuple[VirtualDesktop, Desktop], tmp_path: Path) -> None:
    virtual, desk = session
    virtual.launch(["mousepad"])
    editor = desk.app("mousepad")
    editor.get_by_role("textbox").fill(TEXT)
    expect(editor.get_by_role("textbox")).to_have_text("deskhand typed this")

    editor.get_by_role("textbox").press("Ctrl+Shift+S")
    dialog = editor.get_by_role("dialog", name="Save As", exact=True)
    dialog.wait_for()
    target = tmp_path / "diary.txt"
    dialog.get_by_label("Name").fill(str(target))
    dialog.get_by_role("button", name="Save", exact=True).click()
    dialog.wait_for(state="hidden")

    assert target.read_text(encoding="utf-8") == TEXT
    expect(desk.app("mousepad").get_by_role("window", name="diary.txt")).to_be_visible()
