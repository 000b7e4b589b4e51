"""Show it once in a text editor (Debian's mousepad, GTK3): a person types, picks Edit > Select All from the menu
bar, types over it, then File > Save As... and saves under a full path in GTK's file chooser, with real X input
(xdotool) while `deskhand record` watches. The recording is a menu path and one `Save the file as` step (not
the dialog's keystrokes); `deskhand run` replays it on a fresh mousepad and the file saved holds the same text.

The person looks before acting on (``wait_seen``): a menu item is clicked once it is on screen, and the path is
typed a folder at a time, each once the name field shows it (GTK3's chooser completes a folder after a '/').
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.record_helper import (
    click,
    focused_text,
    recording,
    replay,
    type_watched,
    wait_seen,
    xdotool,
)

from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

pytestmark = pytest.mark.desktop


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:  # its own: a killed mousepad asks to restore its session next time
        yield desk


def _on_screen(virtual: VirtualDesktop, app: str, role: str, name: str) -> tuple[int, int]:
    def placed(tree: Node) -> Node | None:
        for node in tree.walk():
            shown = node.bounds is not None and not node.bounds.empty and node.has(State.SHOWING)
            if node.role == role and node.name.strip() == name and shown:
                return node
        return None

    found = wait_seen(virtual, app, placed, f"{role} {name!r} on screen")
    assert found.bounds is not None
    return found.bounds.center


def _text_view(tree: Node) -> Node | None:
    return next((n for n in tree.walk() if n.role == Role.TEXTBOX and n.has(State.MULTILINE)), None)


def _name_field(tree: Node) -> Node | None:
    field = focused_text(tree)
    return field if field is not None and not field.has(State.MULTILINE) else None


def _menu(virtual: VirtualDesktop, app: str, menu: str, item: str) -> None:
    click(virtual, _on_screen(virtual, app, Role.MENU, menu))
    click(virtual, _on_screen(virtual, app, Role.MENUITEM, item))


def _edit_and_save_as_a_person(virtual: VirtualDesktop, tmp: Path, out: Path) -> Path:
    app = virtual.launch(["mousepad"]).name
    saved = Path(virtual.env["HOME"]) / "notes" / "note.txt"
    saved.parent.mkdir()
    view = wait_seen(virtual, app, _text_view, "its text view")
    assert view.bounds is not None
    click(virtual, view.bounds.center)  # the person puts the cursor in the page (no window manager gives focus)
    wait_seen(virtual, app, focused_text, "its text view focused")
    with recording(virtual, out, tmp / "home", "--app", app, "--name", "draft note") as done:
        type_watched(virtual, app, ["first draft"], lambda value, typed: value == typed)
        _menu(virtual, app, "Edit", "Select All")
        type_watched(virtual, app, ["final"], lambda value, typed: value == typed)
        _menu(virtual, app, "File", "Save As...")
        # The dialog opens with its Name field focused (mousepad leaves it empty).
        wait_seen(virtual, app, _name_field, "the Save As dialog's name field focused")
        # Into the home folder, as a person writes it ('~/'): GTK's chooser lists a folder's files to complete
        # what follows each '/' (a crowded /tmp takes it seconds).
        type_watched(virtual, app, ["~/", "notes/", "note.txt"], lambda value, typed: value.startswith(typed))
        xdotool(virtual, "key", "Return")
        wait_seen(virtual, app, lambda t: t if saved.exists() else None, f"{saved} saved")
    assert saved.read_text(encoding="utf-8").strip() == "final", done.errors
    return saved


def test_menu_path_and_save_as_recorded_and_replayed_to_the_same_file(tmp_path: Path) -> None:
    out = tmp_path / "note.md"
    with VirtualDesktop() as virtual:
        _edit_and_save_as_a_person(virtual, tmp_path, out)
    recorded = out.read_text()
    assert recorded.split("---\n\n", 1)[1] == (
        '1. Switch to "Untitled 1 - Mousepad"\n'
        '2. Type "first draft" into the first text field\n'
        '3. Click "Edit > Select All"\n'
        '4. Type "final" into the first text field\n'
        '5. Save the file as "~/notes/note.txt"\n'
    )
    with VirtualDesktop() as fresh:
        (Path(fresh.env["HOME"]) / "notes").mkdir()
        fresh.launch(["mousepad"])
        replay(fresh, out, tmp_path / "home")
        saved = Path(fresh.env["HOME"]) / "notes" / "note.txt"
        assert saved.read_text(encoding="utf-8").strip() == "final"
