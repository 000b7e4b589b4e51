"""Show it once in a text editor (mousepad, GTK3): a person types, picks Edit > Select All from the menu bar,
types again and saves through File > Save As...; the recording names the menu item by its path and writes
the Save dialog as one `Save the file as` step. Replayed by `deskhand run` on a fresh desktop with a fresh
mousepad, the saved file holds the same text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.integration.record_helper import center_of, click, recording, replay, xdotool

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate import Desktop, expect
from deskhand.locate.expect import ExpectationFailed
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.roles import State

pytestmark = pytest.mark.desktop

# GTK's file chooser is ~840 px tall: on an 800 px screen its name field and Save button are off screen.
SCREEN = (1600, 1200)


def _wait_for_file(path: Path) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return path.read_text(encoding="utf-8")
        time.sleep(0.05)
    raise AssertionError(f"nothing was saved to {path}")


def _wait_until_the_name_field_has_the_focus(virtual: VirtualDesktop) -> None:
    """A person starts typing once the dialog is up and its name field has the keyboard focus."""
    with Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=10.0) as look:
        field = look.app("mousepad").get_by_label("Name:", exact=True)
        field.wait_for(state="visible")
        deadline = time.monotonic() + 15
        while not field.resolve().node.has(State.FOCUSED):
            assert time.monotonic() < deadline, "the Save dialog's name field never got the focus"
            look.backend.wait_for_change(0.2)


def _type_the_path(virtual: VirtualDesktop, path: Path) -> None:
    """A person replaces the proposed name with the whole path and looks before pressing Save. GTK's name
    field completes a path typed at its end from the folder it loads in the background, and a completion
    landing mid-typing eats letters under load ('/tmp/…' became '/p/…', 'mp/…' or 'tmp/…'): the person sees
    it and types the path again. What is under test is the recorder, which writes the field's last value."""
    with Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=10.0) as look:
        field = look.app("mousepad").get_by_label("Name:", exact=True)
        for _ in range(3):
            xdotool(virtual, "key", "ctrl+a")
            xdotool(virtual, "type", "--delay", "20", str(path))
            try:
                expect(field, timeout=5.0).to_have_value(str(path))
                return
            except ExpectationFailed:
                continue
        expect(field).to_have_value(str(path))


def _open_menu_item(virtual: VirtualDesktop, menu: str, item: str) -> None:
    click(virtual, center_of(virtual, "mousepad", "menu", menu))
    click(virtual, center_of(virtual, "mousepad", "menuitem", item))


def test_mousepad_menu_path_and_save_as_recorded_and_replayed(tmp_path: Path) -> None:
    saved, out = tmp_path / "first.txt", tmp_path / "note.md"
    with VirtualDesktop(size=SCREEN) as virtual:
        virtual.launch(["mousepad"])
        with recording(virtual, out, tmp_path / "home", "--app", "mousepad", "--name", "note") as done:
            click(virtual, center_of(virtual, "mousepad", "textbox", ""))
            xdotool(virtual, "type", "--delay", "20", "first draft")
            _open_menu_item(virtual, "Edit", "Select All")
            xdotool(virtual, "type", "--delay", "20", 'Dear "diary"')
            _open_menu_item(virtual, "File", "Save As...")
            _wait_until_the_name_field_has_the_focus(virtual)
            _type_the_path(virtual, saved)
            click(virtual, center_of(virtual, "mousepad", "button", "Save"))
            assert _wait_for_file(saved) == 'Dear "diary"'
    assert "Wrote 5 steps" in done.errors
    assert out.read_text().endswith(
        "---\n\n"
        '1. Switch to "Untitled 1 - Mousepad"\n'
        '2. Type "first draft" into the first text field\n'
        '3. Click "Edit > Select All"\n'
        "4. Type 'Dear \"diary\"' into the first text field\n"
        f'5. Save the file as "{saved}"\n'
    )

    # The same workflow saves elsewhere on replay: the recorded path is the one value to change.
    again = tmp_path / "again.txt"
    out.write_text(out.read_text().replace(str(saved), str(again)))
    with VirtualDesktop(size=SCREEN) as fresh:
        fresh.launch(["mousepad"])
        replay(fresh, out, tmp_path / "home")
        assert _wait_for_file(again) == 'Dear "diary"'
