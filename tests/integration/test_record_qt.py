"""Show it once on a Qt form (tests/apps/qt_form.py, PySide6): a person clicks into fields and types, ticks a
check box and clicks Submit with real X input while `deskhand record` watches; `deskhand run` replays the
recording on a fresh copy and the form prints the same JSON. Recording the task twice writes the same file."""

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


def _fill_as_a_person(virtual: VirtualDesktop, tmp: Path, run: str) -> tuple[str, str]:
    printed, out = tmp / f"{run}.txt", tmp / f"{run}.md"
    app = virtual.launch(["sh", "-c", f"{COMMAND} > {printed}"], timeout=40).name
    with recording(virtual, out, tmp / "home", "--app", app, "--name", "qt signup") as done:
        click(virtual, center_of(virtual, app, "label", "Name"))
        xdotool(virtual, "type", "--delay", "20", "Grace Hopper")
        click(virtual, center_of(virtual, app, "label", "Email"))
        xdotool(virtual, "type", "--delay", "20", "grace@example.org")
        click(virtual, center_of(virtual, app, "checkbox", "Subscribe to newsletter"))
        click(virtual, center_of(virtual, app, "button", "Submit"))
        printed_values = wait_printed(printed)
    text = out.read_text()
    assert "\n5. " in text, text + done.errors
    return printed_values, text


def test_qt_form_recorded_twice_the_same_and_replayed_to_the_same_values(
    virtual: VirtualDesktop, tmp_path: Path
) -> None:
    first, recorded = _fill_as_a_person(virtual, tmp_path, "first")
    assert '"name": "Grace Hopper"' in first and '"subscribe": true' in first
    assert recorded.split("---\n\n", 1)[1] == (
        '1. Switch to "deskhand Qt form"\n'
        '2. Type "Grace Hopper" into "Name"\n'
        '3. Type "grace@example.org" into "Email"\n'
        '4. Check "Subscribe to newsletter"\n'
        '5. Click "Submit"\n'
    )
    _, again = _fill_as_a_person(virtual, tmp_path, "second")
    assert again == recorded

    # Submit cannot be undone: the guard stops it unless a person approved it, as they do by listing it.
    reviewed = tmp_path / "reviewed.md"
    reviewed.write_text(recorded.replace("\n---\n", '\npreapproved: [Click "Submit"]\n---\n', 1))
    replayed = tmp_path / "replayed.txt"
    virtual.launch(["sh", "-c", f"{COMMAND} > {replayed}"], timeout=40)
    replay(virtual, reviewed, tmp_path / "home")
    assert wait_printed(replayed) == first
