"""Show it once on a Qt form (tests/apps/qt_form.py, PySide6): a person clicks into Name and Email, types,
ticks the check box and clicks Submit with real X input while `deskhand record` watches; `deskhand run`
replays the recording on a fresh copy and the form prints the same values."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.record_helper import center_of, click, recording, replay, wait_printed, xdotool

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

QT_FORM = Path(__file__).resolve().parents[1] / "apps" / "qt_form.py"
COMMAND = f"exec {sys.executable} {QT_FORM}"


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


def test_qt_form_recorded_and_replayed(virtual: VirtualDesktop, tmp_path: Path) -> None:
    printed, out = tmp_path / "printed.txt", tmp_path / "qt.md"
    app = virtual.launch(["sh", "-c", f"{COMMAND} > {printed}"], timeout=40).name
    with recording(virtual, out, tmp_path / "home", "--app", app, "--name", "qt form") as done:
        click(virtual, center_of(virtual, app, "label", "Name"))
        xdotool(virtual, "type", "--delay", "20", "Grace Hopper")
        click(virtual, center_of(virtual, app, "label", "Email"))
        xdotool(virtual, "type", "--delay", "20", "grace@example.org")
        click(virtual, center_of(virtual, app, "checkbox", "Subscribe to newsletter"))
        click(virtual, center_of(virtual, app, "button", "Submit"))
        first = wait_printed(printed)
    assert '"name": "Grace Hopper"' in first and '"email": "grace@example.org"' in first
    assert out.read_text().split("---\n\n", 1)[1] == (
        '1. Switch to "deskhand Qt form"\n'
        '2. Type "Grace Hopper" into "Name"\n'
        '3. Type "grace@example.org" into "Email"\n'
        '4. Check "Subscribe to newsletter"\n'
        '5. Click "Submit"\n'
    ), done.errors
    # Submit cannot be undone: the guard asks before it, so the person who runs the recording unattended
    # says so in its front matter, as for any workflow.
    out.write_text(out.read_text().replace("---\n\n", 'preapproved: [Click "Submit"]\n---\n\n', 1))
    again = tmp_path / "replayed.txt"
    virtual.launch(["sh", "-c", f"{COMMAND} > {again}"], timeout=40)
    replay(virtual, out, tmp_path / "home")
    assert wait_printed(again) == first
