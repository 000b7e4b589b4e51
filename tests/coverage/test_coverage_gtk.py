"""Coverage matrix, GTK columns: Debian's gtk3-widget-factory and gtk4-widget-factory, each started once.

The factories were not written for assistive technology: many widgets have no name, and several share one
("checkbutton" six times). Each cell says what a person would say — the widget's label, caption, placeholder
or shown value — and the matrix shows where that is not enough for deskhand. Read-backs are the app's own
AT-SPI state and values (the factories print nothing).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from tests.coverage.cells import Cell, Column, NotApplicable, Probe, Spec, close_extra_windows
from tests.coverage.matrix import FAIL, ROWS, CellResult
from tests.coverage.readback import (
    drawn_row_selected,
    face_shows,
    has_state,
    holds_value,
    row_selected,
    shows,
    shows_window,
)

from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.backend import ScreenBackend
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.roles import State

pytestmark = pytest.mark.desktop

P1, P2, P3 = 'Click "Page 1"', 'Click "Page 2"', 'Click "Page 3"'

GTK3: dict[str, Spec] = {
    # The expander starts open: a click on its caption closes it.
    "button": Cell((P2, 'Click "Expander"'), has_state('role=button[name="Expander"]', State.EXPANDED, False)),
    # Four toggle buttons, six check and six radio buttons share one label each: a person counts them on
    # screen (the read-back's nth counts in the tree, which GTK3 lists bottom-up for these boxes).
    "toggle": Cell(
        (P1, 'Turn on the first "togglebutton"'),
        has_state('role=button[name="togglebutton"] >> nth=0', State.CHECKED),
    ),
    "check": Cell(
        (P1, 'Check the second "checkbutton"'), has_state('role=checkbox[name="checkbutton"] >> nth=4', State.CHECKED)
    ),
    "radio": Cell(
        (P1, 'Click the second "radiobutton"'), has_state('role=radio[name="radiobutton"] >> nth=4', State.CHECKED)
    ),
    # The switch in the list on page 2 sits beside its row's label "Row 1".
    "switch": Cell((P2, 'Turn on "Row 1"'), has_state('role=button[label="Row 1"]', State.CHECKED)),
    "entry": Cell(
        (
            P1,
            'Read "Click icon to change mode" as before',
            'Type "hello" into "Click icon to change mode"',
            'Expect "Click icon to change mode" to show "hello"',
        ),
        holds_value('placeholder="Click icon to change mode"', "hello"),
    ),
    "password": NotApplicable("gtk3-widget-factory has no password entry"),
    "multi-line text": Cell((P2, 'Type "First line" into "Lorem ipsum"')),
    "spin": Cell((P1, 'Type "42" into "label"', 'Expect "label" to show "42"')),
    "slider": Cell(
        (P2, 'Read "Volume" as before', 'Set "Volume" to 0.8'), holds_value('role=slider[name="Volume"]', "0.8")
    ),
    "combo": Cell((P1, 'Select "Right" from "Left"')),
    "combo with entry": Cell((P1, 'Type "Goofy" into the first "comboboxentry"')),
    "list row": Cell((P3, 'Click "Address"'), row_selected("Address")),
    "tree row": Cell((P3, 'Click "Charles Martel"'), has_state('role=cell[name="Charles Martel"]', State.SELECTED)),
    "table cell": Cell((P1, 'Click "Otto"'), has_state('role=cell[name="Otto"]', State.SELECTED)),
    "tab": Cell((P1, 'Click "page 2"')),
    "menu-bar item": Cell((P2, 'Click "Help"', 'Click "About"'), shows("role=dialog")),
    # "Select All" is offered (sensitive) only when the field holds text: type some first, as a person has.
    "context-menu item": Cell(
        (
            P1,
            'Type "hello" into "Click icon to change mode"',
            'Right-click "Click icon to change mode"',
            'Click "Select All"',
        )
    ),
    "link": Cell((P1, 'Click "link button"')),
    "date/time": NotApplicable("gtk3-widget-factory has no date or time field (its calendar is a grid of days)"),
    # The factory's file chooser button shows the name of the file its chooser took.
    "file chooser": Cell(
        (P1, 'Click "(None)"', 'Choose the file "/etc/os-release"'), shows('role=button[name="os-release"]')
    ),
    # The colour editor's entry takes a colour only on Enter (the step commits it so): it then shows the colour
    # it took as #RRGGBB, so "#FF0000" is the app's rendering, not the text typed (which stays until then).
    "colour chooser": Cell(
        (P3, 'Type "#ff0000" into "Color Name"'), holds_value('role=textbox[name="Color Name"]', "#FF0000")
    ),
    "scrolled-away element": Cell(
        (P3, 'Click "Attila the Hun"'), has_state('role=cell[name="Attila the Hun"]', State.SELECTED)
    ),
    "dialog": Cell((P2, 'Click "Help"', 'Click "About"', 'Click "Close" in "About"')),
}

GTK4: dict[str, Spec] = {
    # A plain button judged by what it opens (the link button is the link cell; the dialog its click opens
    # came late in one run and met the next cell).
    "button": Cell((P1, 'Click "Sans Regular"'), shows_window("font")),
    "toggle": Cell(
        (P1, 'Turn on the first "togglebutton"'),
        has_state('role=button[name="togglebutton"] >> nth=0', State.PRESSED),
    ),
    "check": Cell(
        (P1, 'Check the second "checkbutton"'), has_state('role=checkbox[name="checkbutton"] >> nth=1', State.CHECKED)
    ),
    # GTK 4.8 gives radio buttons the check box role.
    "radio": Cell(
        (P1, 'Click the second "radiobutton"'),
        has_state('role=checkbox[name="radiobutton"] >> nth=1', State.CHECKED),
    ),
    # GTK 4.8 names a widget without a label by its class: the factory's switches are "GtkSwitch".
    "switch": Cell(
        (P1, 'Turn on the first "GtkSwitch"'), has_state('role=checkbox[name="GtkSwitch"] >> nth=0', State.CHECKED)
    ),
    "entry": Cell(
        (
            P1,
            'Type "hello" into "Click icon to change mode"',
            'Expect "Click icon to change mode" to show "hello"',
        ),
        holds_value('placeholder="Click icon to change mode"', "hello"),
    ),
    "password": Cell(
        (P1, 'Type "s3cret-pw" into "Password"'),
        holds_value('role=textbox[name="GtkPasswordEntry"]', "s3cret-pw"),
    ),
    "multi-line text": Cell((P1, 'Type "First line" into "GtkTextView"', 'Expect "GtkTextView" to show "First line"')),
    "spin": Cell(
        (P1, "Read the first spin button as before", "Set the first spin button to 42"),
        holds_value("role=spinbutton >> nth=0", "42"),
    ),
    # The first slider on screen is the video player's (disabled); the second is the first scale.
    "slider": Cell((P1, "Set the second slider to 70"), holds_value("role=slider >> nth=0", "70")),
    # GTK 4.8's combo box names no options to AT-SPI: its list is read off the screen and the option clicked
    # there; the step reads back the choice its face then shows. The third on screen (top to bottom) shows
    # "Andrea" at the start and lists Andrea, Otto, Orville, Benjamin.
    "combo": Cell((P1, 'Select "Benjamin" from the third combo box'), face_shows(2, "Benjamin")),
    "combo with entry": Cell((P1, 'Type "Goofy" into the first "comboboxentry"')),
    "list row": Cell((P3, 'Click "Address"'), row_selected("Address")),
    # GTK 4.8's tree views list no rows to AT-SPI: deskhand reads them off the screen, and the read-back is
    # the app's own drawing of its selection (the row painted in the accent colour).
    "tree row": Cell((P3, 'Click "Charles Martel"'), drawn_row_selected("Charles Martel")),
    # Page 1's table (columns Cool, Icon, Name, Nick): a cell of its Name column.
    "table cell": Cell((P1, 'Click "Otto"'), drawn_row_selected("Otto")),
    "tab": Cell((P1, 'Click "NYC"')),
    # GTK 4.8's about dialog is a window (role frame), not a dialog: it is judged by its title.
    "menu-bar item": Cell((P1, 'Click the first "GtkMenuButton"', 'Click "About"'), shows_window("About")),
    "context-menu item": Cell(
        (
            P1,
            'Type "hello" into "Click icon to change mode"',
            'Right-click "Click icon to change mode"',
            'Click "Select All"',
        )
    ),
    # With no browser on the desktop GTK4 answers a followed link with a "Could not show link" dialog; the
    # cell closes it as a person would, so it cannot meet the next cell later.
    "link": Cell((P1, 'Click "link button"', 'Wait for "Could not show link" to appear', 'Press "Escape"')),
    "date/time": NotApplicable("gtk4-widget-factory has no date or time field (its calendar is a grid of days)"),
    # The factory opens no file chooser (page 3's "Open" shows no window in 10 s): GTK's print editor, started
    # beside it for this cell (SECOND_APPS), opens files through GTK 4's chooser and shows the file it opened
    # in its title and its text view.
    "file chooser": Cell(
        (
            'Click "File" in "GTK Print Editor"',
            'Click "Open" in "GTK Print Editor"',
            'Choose the file "/etc/os-release"',
        ),
        lambda probe: opened_in_editor(probe, Path("/etc/os-release")),
    ),
    "colour chooser": Cell((P1, 'Click "Red 19%, Green 41%, Blue 63%"', 'Click "Select" in "Pick a Color"')),
    # A late row of page 3's tree, below its fold: scrolled into view with the wheel, as a person does.
    "scrolled-away element": Cell(
        (P3, 'Click "Attila the Hun"'), drawn_row_selected("Attila the Hun", scrolled_past="Charlemagne")
    ),
    # "Close" alone is also the window's own title-bar button: the dialog is named.
    "dialog": Cell((P1, 'Click the first "GtkMenuButton"', 'Click "About"', 'Click "Close" in "About"')),
}

COMMANDS = {
    "gtk3": ["gtk3-widget-factory"],
    # GTK4's GL renderer does not come up on Xvfb (no window in 30 s); the cairo renderer does, in 1 s.
    "gtk4": ["env", "GSK_RENDERER=cairo", "gtk4-widget-factory"],
}
# Apps a cell uses beside its column's own, started before the cell and ended after it (gtk-4-examples).
PRINT_EDITOR = "gtk4-print-editor"
SECOND_APPS = {("gtk4", "file chooser"): ["env", "GSK_RENDERER=cairo", PRINT_EDITOR]}


def opened_in_editor(probe: Probe, file: Path) -> str | None:
    """The print editor opened ``file``: its title names it and its text view holds what the file holds."""
    editor = replace(probe, app=PRINT_EDITOR)
    return shows_window(file.name)(editor) or holds_value("role=textbox", file.read_text().strip())(editor)


def run_cell(column: Column, row: str, spec: Spec) -> CellResult:
    """The cell, with the app it uses beside the column's own started first (when it has one) and ended
    after it; the column's app then has its window active again."""
    argv = SECOND_APPS.get((column.key, row))
    if argv is None:
        return column.run(row, spec)
    try:
        second = column.virtual.launch(argv, timeout=40)
    except DeskhandError as error:
        return CellResult(column.key, row, FAIL, f"{argv[-1]} did not start: {error.message}")
    try:
        return column.run(row, spec)
    finally:
        column.virtual.stop_app(second)
        gone_by = time.monotonic() + 10.0
        while column.desktop.find_app(second.name) is not None and time.monotonic() < gone_by:
            column.desktop.backend.wait_for_change(0.1)
        found = column.desktop.wait_for_app(column.app, timeout=5.0)
        if found.windows:
            column.desktop.backend.activate_window(found.windows[0].ref)


def connect(virtual: VirtualDesktop) -> Desktop:
    """As `deskhand run` composes its desktop: the accessibility tree, and the screen (OCR) where the tree
    shows nothing — GTK 4.8's tree views list no rows, so a person's target there is read off the screen."""
    inner = CompositeBackend(virtual.a11y_address, display=virtual.display)
    return Desktop(ScreenBackend(inner, display=virtual.display), timeout=5.0)


def gtk_column(key: str, work: pytest.TempPathFactory) -> Iterator[Column]:
    with VirtualDesktop() as virtual:
        app = virtual.launch(COMMANDS[key], timeout=40)
        with connect(virtual) as desktop:
            column = Column(key, virtual, desktop, app.name, work.mktemp(key))
            column.after = lambda: close_extra_windows(column.desktop, app.name)
            column.connect = lambda: connect(virtual)
            yield column
            column.close()


@pytest.fixture(scope="module")
def gtk3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Column]:
    yield from gtk_column("gtk3", tmp_path_factory)


@pytest.fixture(scope="module")
def gtk4(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Column]:
    yield from gtk_column("gtk4", tmp_path_factory)


@pytest.mark.parametrize("row", ROWS)
def test_gtk3_cell(gtk3: Column, row: str, record_cell: Callable[[CellResult], None]) -> None:
    record_cell(gtk3.run(row, GTK3[row]))


@pytest.mark.parametrize("row", ROWS)
def test_gtk4_cell(gtk4: Column, row: str, record_cell: Callable[[CellResult], None]) -> None:
    record_cell(run_cell(gtk4, row, GTK4[row]))
