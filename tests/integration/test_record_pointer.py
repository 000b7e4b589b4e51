"""Show it once with the pointer: a double click and a right click made by real X input (xdotool, as a person's
mouse) are recorded as `Double-click` and `Right-click` steps, and `deskhand run` replays them on a fresh copy
of the app, which prints the same outcome. zenity's list (Debian's zenity: a double click on a row picks it
and prints it) and a GTK3 list with a context menu on its rows (tests/apps/gtk3_rows.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.record_helper import center_of, click, recording, replay, wait_printed, xdotool

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

LIST = "zenity --list --title=Pick --column=Fruit Apple Banana Cherry"
ROWS = Path(__file__).resolve().parents[1] / "apps" / "gtk3_rows.py"


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


def double_click(virtual: VirtualDesktop, point: tuple[int, int]) -> None:
    # Two presses 80 ms apart: well inside GTK's 400 ms double-click time, as a person's quick double click.
    xdotool(virtual, "mousemove", str(point[0]), str(point[1]), "click", "--repeat", "2", "--delay", "80", "1")


def right_click(virtual: VirtualDesktop, point: tuple[int, int]) -> None:
    xdotool(virtual, "mousemove", str(point[0]), str(point[1]), "click", "3")


def test_a_double_click_on_a_list_row_is_recorded_and_replayed(virtual: VirtualDesktop, tmp_path: Path) -> None:
    printed, out = tmp_path / "printed.txt", tmp_path / "pick.md"
    virtual.launch(["sh", "-c", f"exec {LIST} > {printed}"])
    with recording(virtual, out, tmp_path / "home", "--app", "zenity", "--name", "pick") as done:
        double_click(virtual, center_of(virtual, "zenity", "cell", "Banana"))
        assert wait_printed(printed) == "Banana\n"
    assert out.read_text().split("---\n\n", 1)[1] == '1. Switch to "Pick"\n2. Double-click "Banana"\n', done.errors

    again = tmp_path / "again.txt"
    virtual.launch(["sh", "-c", f"exec {LIST} > {again}"])
    replay(virtual, out, tmp_path / "home")
    assert wait_printed(again) == "Banana\n"


def test_a_right_click_and_its_context_menu_item_are_recorded_and_replayed(
    virtual: VirtualDesktop, tmp_path: Path
) -> None:
    command = f"exec /usr/bin/python3 {ROWS}"
    printed, out = tmp_path / "printed.txt", tmp_path / "rows.md"
    virtual.launch(["sh", "-c", f"{command} > {printed}"])
    app = "gtk3_rows.py"
    with recording(virtual, out, tmp_path / "home", "--app", app, "--name", "rows") as done:
        double_click(virtual, center_of(virtual, app, "cell", "Banana"))
        right_click(virtual, center_of(virtual, app, "cell", "Cherry"))
        click(virtual, center_of(virtual, app, "menuitem", "Archive"))
        click(virtual, center_of(virtual, app, "button", "Done"))
        first = wait_printed(printed)
    assert first == '{"opened": ["Banana"], "archived": ["Cherry"]}\n'
    assert out.read_text().split("---\n\n", 1)[1] == (
        '1. Switch to "deskhand GTK3 rows"\n'
        '2. Double-click "Banana"\n'
        '3. Right-click "Cherry"\n'
        '4. Click "Archive"\n'
        '5. Click "Done"\n'
    ), done.errors

    again = tmp_path / "again.txt"
    virtual.launch(["sh", "-c", f"{command} > {again}"])
    replay(virtual, out, tmp_path / "home")
    assert wait_printed(again) == first
