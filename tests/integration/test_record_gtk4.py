"""Show it once on a GTK 4 app (tests/apps/gtk4_values.py): a person types into a field, ticks a check box
and clicks Done with real X input while `deskhand record` watches; `deskhand run` replays the recording on a
fresh copy and the app prints the same values. (GTK 4 marks widgets VISIBLE, not SHOWING: a press is placed
on what is visible.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.record_helper import center_of, click, recording, replay, wait_printed, xdotool

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

GTK4_VALUES = Path(__file__).resolve().parents[1] / "apps" / "gtk4_values.py"
COMMAND = f"GSK_RENDERER=cairo exec /usr/bin/python3 {GTK4_VALUES}"


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


# One typing into one field is one step however the keys are spaced (CI split "Grace" into "G" and "Grace" when
# X RECORD handed the press on the field over after the first letter's text event).
@pytest.mark.parametrize("delay_ms", [0, 20, 150])
def test_gtk4_field_check_box_and_button_recorded_and_replayed(
    virtual: VirtualDesktop, tmp_path: Path, delay_ms: int
) -> None:
    printed, out = tmp_path / "printed.txt", tmp_path / "gtk4.md"
    # GTK 4 on a plain main loop names no application: the desktop knows it by the pid it started.
    app = virtual.launch(["sh", "-c", f"{COMMAND} > {printed}"], timeout=40).name
    with recording(virtual, out, tmp_path / "home", "--app", app, "--name", "gtk4") as done:
        click(virtual, center_of(virtual, app, "label", "Name"))
        xdotool(virtual, "type", "--delay", str(delay_ms), "Grace")
        click(virtual, center_of(virtual, app, "checkbox", "Subscribe"))
        click(virtual, center_of(virtual, app, "button", "Done"))
        first = wait_printed(printed)
    assert '"name": "Grace"' in first and '"subscribe": true' in first
    assert out.read_text().split("---\n\n", 1)[1] == (
        '1. Switch to "deskhand GTK4 values"\n2. Type "Grace" into "Name"\n3. Check "Subscribe"\n4. Click "Done"\n'
    ), done.errors
    again = tmp_path / "replayed.txt"
    virtual.launch(["sh", "-c", f"{COMMAND} > {again}"], timeout=40)
    replay(virtual, out, tmp_path / "home")
    assert wait_printed(again) == first


def _record_the_task(virtual: VirtualDesktop, tmp_path: Path, run: str) -> str:
    printed, out = tmp_path / f"{run}.txt", tmp_path / f"{run}.md"
    app = virtual.launch(["sh", "-c", f"{COMMAND} > {printed}"], timeout=40).name
    with recording(virtual, out, tmp_path / "home", "--app", app, "--name", "gtk4"):
        click(virtual, center_of(virtual, app, "label", "Name"))
        xdotool(virtual, "type", "--delay", "20", "Grace")
        click(virtual, center_of(virtual, app, "checkbox", "Subscribe"))
        click(virtual, center_of(virtual, app, "button", "Done"))
        assert '"name": "Grace"' in wait_printed(printed)
    return out.read_text()


def test_gtk4_task_recorded_twice_gives_the_same_file(virtual: VirtualDesktop, tmp_path: Path) -> None:
    first = _record_the_task(virtual, tmp_path, "first")
    assert _record_the_task(virtual, tmp_path, "second") == first
    assert first.endswith('2. Type "Grace" into "Name"\n3. Check "Subscribe"\n4. Click "Done"\n')
