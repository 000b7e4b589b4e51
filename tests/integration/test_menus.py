"""Menus: an item in a closed menu, an explicit path, a context menu, ambiguity and a wrong part of a path,
judged by what the app did (the saved file, the values the Qt form prints)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.steps_helper import APPS, printed_json, run_steps, step_runner

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import AmbiguousMatch, NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

QT_APP = [sys.executable, str(APPS / "qt_values.py")]
# GTK 4's GL renderer does not come up on Xvfb; the cairo renderer does.
GTK4_APP = ["env", "GSK_RENDERER=cairo", "/usr/bin/python3", str(APPS / "gtk4_values.py")]


@pytest.fixture(scope="module")
def session() -> Iterator[tuple[VirtualDesktop, Desktop]]:
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=10.0) as desk:
            yield virtual, desk


@pytest.mark.parametrize("click", ['Click "Select All"', 'Click "Edit > Select All"'], ids=["closed-menu", "path"])
def test_mousepad_menu_item_runs(tmp_path: Path, click: str) -> None:
    with VirtualDesktop() as virtual:  # its own: a killed mousepad asks to restore its session next time
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=10.0) as desk:
            mousepad_menu_item(virtual, desk, tmp_path, click)


def mousepad_menu_item(virtual: VirtualDesktop, desk: Desktop, tmp_path: Path, click: str) -> None:
    app = virtual.launch(["mousepad"])
    saved = tmp_path / "note.txt"
    try:
        runner = step_runner(desk, virtual, app=app.name)
        run_steps(runner, 'Switch to "Mousepad"', 'Type "first draft"', click, 'Type "final"')
        run_steps(runner, f'Save the file as "{saved}"')
        assert saved.read_text(encoding="utf-8").strip() == "final"  # Select All ran: the draft was replaced
    finally:
        virtual.stop_app(app)


def run_qt(session: tuple[VirtualDesktop, Desktop], *sentences: str) -> dict[str, object]:
    virtual, desk = session
    app = virtual.launch(QT_APP, timeout=30)
    try:
        run_steps(step_runner(desk, virtual, app=app.name), *sentences, 'Click "Done"')
        return printed_json(app)
    finally:
        virtual.stop_app(app)


def test_qt_closed_menu_item(session: tuple[VirtualDesktop, Desktop]) -> None:
    assert run_qt(session, 'Click "Fill sample name"')["name"] == "Sample"


def test_qt_submenu_by_path(session: tuple[VirtualDesktop, Desktop]) -> None:
    """Qt shows a submenu's items only once it is open: the path walks there."""
    assert run_qt(session, 'Click "Tools > Presets > Ten seats"')["seats"] == 10


def test_gtk3_context_menu_after_right_click(session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = session
    app = virtual.launch(["/usr/bin/python3", str(APPS / "gtk3_values.py")])
    try:
        runner = step_runner(desk, virtual, app=app.name)
        run_steps(runner, 'Type "Ada" into "Name"', 'Right-click "Name"', 'Click "Select All"', 'Type "Grace"')
        run_steps(runner, 'Click "Done"')
        assert printed_json(app)["name"] == "Grace"  # Select All from the context menu ran
    finally:
        virtual.stop_app(app)


def test_gtk4_context_menu_after_right_click(session: tuple[VirtualDesktop, Desktop]) -> None:
    """GTK 4.8 leaves an entry's inner text widget, the parent of its context menu, out of the entry's
    children: deskhand reaches the menu through the events of its items."""
    virtual, desk = session
    app = virtual.launch(GTK4_APP, timeout=40)
    try:
        runner = step_runner(desk, virtual, app=app.name)
        run_steps(runner, 'Type "Ada" into "Name"', 'Right-click "Name"', 'Click "Select All"')
        # Delete is offered only for a selection: the text goes only if Select All ran, then Delete.
        run_steps(runner, 'Right-click "Name"', 'Click "Delete"', 'Click "Done"')
        assert printed_json(app)["name"] == ""
    finally:
        virtual.stop_app(app)


def test_two_items_of_one_name_are_listed_by_path(session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = session
    app = virtual.launch(QT_APP, timeout=30)
    try:
        runner = step_runner(desk, virtual, app=app.name)
        with pytest.raises(AmbiguousMatch) as failure:
            run_steps(runner, 'Click "Reset"')
        assert failure.value.candidates == ["Edit > Reset", "Tools > Reset"]
        assert 'Click "Tools > Reset"' in failure.value.hint
        run_steps(runner, 'Click "Tools > Reset"', 'Click "Done"')
        assert printed_json(app)["name"] == "reset by Tools"
    finally:
        virtual.stop_app(app)


def test_a_wrong_part_of_a_path_names_what_the_menu_holds(session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = session
    app = virtual.launch(QT_APP, timeout=30)
    try:
        runner = step_runner(desk, virtual, app=app.name)
        runner.ctx.timeout = 2.0
        with pytest.raises(NoMatch) as failure:
            run_steps(runner, 'Click "Tools > Presetz > Ten seats"')
        assert "'Presetz'" in failure.value.message and "Presets" in failure.value.candidates
        # The menus it opened are closed again: the form takes the next click, and nothing ran.
        run_steps(runner, 'Click "Done"')
        assert printed_json(app)["seats"] == 1
    finally:
        virtual.stop_app(app)


def test_qt_context_menu_after_right_click(session: tuple[VirtualDesktop, Desktop]) -> None:
    """Qt leaves a popup menu out of the application's children: deskhand finds it by the event that shows
    it. Evidence: the gallery prints the context-menu action it ran."""
    virtual, desk = session
    gallery = Path(__file__).resolve().parents[1] / "apps" / "qt_gallery.py"
    app = virtual.launch([sys.executable, str(gallery)], timeout=30)
    try:
        runner = step_runner(desk, virtual, app=app.name)
        run_steps(runner, 'Right-click "Right-click me"', 'Click "Copy name"')
        # The click reaches the app by X and the action prints in the app's own time: read the report once
        # it is there (reading the log at once failed when the app was slower than the test).
        wanted = '{"widget": "context-menu", "value": "Copy name"}'
        deadline = time.monotonic() + 15
        while wanted not in app.log_path.read_text(errors="replace").splitlines() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wanted in app.log_path.read_text(errors="replace").splitlines()
    finally:
        virtual.stop_app(app)
