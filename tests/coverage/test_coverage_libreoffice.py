"""Coverage matrix, LibreOffice column: Calc (GTK3 VCL plugin) and its Format Cells dialog, started once.

A1 holds 1234.5; each cell acts through the step language (the dialog is opened with Ctrl+1 as a person
would). Read-backs: the toolbar's own state, a dialog's tab content, and A1 as the sheet shows it after a
number format changed (deskhand's cell read, which takes a number's shown text from the app's answer for
its selection). A1's format is not reset between cells: each cell's format code replaces the last.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from tests.coverage.cells import Cell, Column, NoCellYet, Probe, Spec, Verify, close_extra_windows
from tests.coverage.matrix import ROWS, CellResult
from tests.coverage.readback import REPORT_WAIT_S, has_state

from deskhand.backends.composite import CompositeBackend
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import is_visible
from deskhand.locate.sheet import Sheet
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from deskhand.tree.roles import Role, State

pytestmark = pytest.mark.desktop

# A person waits for the dialog before using it: without the wait, "Cell Protection" can still mean the menu.
DIALOG = ('Press "Ctrl+1"', 'Wait for "Format Cells" to appear')
NUMBERS = 'Click "Numbers"'
OK = 'Click "OK"'
CLOSED = 'Wait for "Format Cells" to go away'
PREPARE = ('Switch to "Untitled 1"', 'Type "1234.5"', 'Press "Enter"', 'Press "Up"')


# A spreadsheet the file chooser cell opens (flat ODF: one file, no zip), written by the column fixture.
OPENED = Path(tempfile.gettempdir()) / "deskhand-coverage-opened.fods"
_FODS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" '
    'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet>'
    '<table:table table:name="Opened"><table:table-row><table:table-cell office:value-type="string">'
    "<text:p>opened</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"
    "</office:body></office:document>"
)


def a1_shows(wanted: str) -> Verify:
    """A1 as the sheet shows it (deskhand's cell read: a number's shown text comes from the app's answer for
    its selection — the table's text stays '1234.5' whatever the format), and no other window opened."""

    def verify(probe: Probe) -> str | None:
        found = probe.desktop.find_app(probe.app)
        if found is not None and len(found.windows) > 1:
            return f"the step opened {found.windows[-1].title!r} instead"
        shown = Sheet(probe.desktop.app(probe.app)).read("A1")
        return None if shown == wanted else f"A1 shows {shown!r}, not {wanted!r}"

    return verify


def toolbar_shows(box: str, wanted: str) -> Verify:
    """The main window's toolbar box ``box`` (a combo with an entry) shows ``wanted`` for the cell under the
    cursor: what Calc applied to it. Looked at until it does or REPORT_WAIT_S pass (Calc updates its toolbar
    after the dialog has gone)."""

    def verify(probe: Probe) -> str | None:
        deadline = time.monotonic() + REPORT_WAIT_S
        while True:
            root = probe.desktop.snapshot(probe.app)
            boxes = [n for n in root.walk() if n.name == box]
            entries = [e for b in boxes for e in b.walk() if e.role == Role.TEXTBOX and is_visible(e)]
            shown = [e.value for e in entries]
            if shown == [wanted] or time.monotonic() >= deadline:
                return None if shown == [wanted] else f"the toolbar's {box!r} shows {shown!r}, not {wanted!r}"
            probe.desktop.backend.wait_for_change(0.1)

    return verify


def toolbar_checked(button: str) -> Verify:
    """The main window's toolbar toggle ``button`` is checked for the cell under the cursor: what Calc applied
    to it. Looked at until it is or REPORT_WAIT_S pass (Calc updates its toolbar after the dialog has gone)."""

    def verify(probe: Probe) -> str | None:
        deadline = time.monotonic() + REPORT_WAIT_S
        while True:
            root = probe.desktop.snapshot(probe.app)
            states = [n.states for n in root.walk() if n.name == button and n.role == Role.BUTTON and is_visible(n)]
            if len(states) == 1 and State.CHECKED in states[0]:
                return None
            if time.monotonic() >= deadline:
                return f"the toolbar's {button!r} is not checked afterwards ({len(states)} shown)"
            probe.desktop.backend.wait_for_change(0.1)

    return verify


def cell_holds(cell: str, wanted: str) -> Verify:
    def verify(probe: Probe) -> str | None:
        shown = Sheet(probe.desktop.app(probe.app)).read(cell)
        return None if shown == wanted else f"{cell} shows {shown!r}, not {wanted!r}"

    return verify


CELLS: dict[str, Spec] = {
    # Calc's window came up with part of it off screen in some runs ("not on screen; cannot click it") and
    # the click on the overflowed toolbar opened "Headers and Footers" in others: a race and a bug to fix.
    "button": NoCellYet("its result varies from run to run (Calc's toolbar off screen, or the wrong button hit)"),
    "toggle": Cell(('Turn on "Bold"',), has_state('role=button[name="Bold"]', State.CHECKED)),
    "check": Cell((*DIALOG, NUMBERS, 'Check "Thousands separator"', OK, CLOSED), a1_shows("1,235")),
    "radio": NoCellYet("the Format Cells dialog has none; a dialog with radio buttons is still to pick"),
    "switch": NoCellYet("no LibreOffice dialog with a switch picked yet"),
    "entry": Cell((*DIALOG, NUMBERS, 'Type "0.000" into "Format Code"', OK, CLOSED), a1_shows("1234.500")),
    "password": NoCellYet("the Save-with-password dialog is still to do"),
    "multi-line text": NoCellYet("the comment editor is still to do"),
    "spin": Cell((*DIALOG, NUMBERS, 'Set "Decimal places:" to 2', OK, CLOSED), a1_shows("1234.50")),
    "slider": NoCellYet("the status bar's zoom slider is still to do"),
    # VCL draws its own combo box (a toggle button opening a list of its own) and keeps the GtkComboBox a label
    # names hidden, with an empty menu: the option is chosen in the drawn list (locate/drawn_combo.py); read
    # back as what Calc applied to A1 (the Formatting toolbar's Align Left is checked for a left-aligned cell).
    "combo": Cell(
        (*DIALOG, 'Click "Alignment"', 'Select "Left" in "Horizontal:"', OK, CLOSED), toolbar_checked("Align Left")
    ),
    # The same drawn combo with an entry: typed into its shown entry (locate/drawn_combo.py); read back as what
    # Calc applied to A1 (the Formatting toolbar's Font Size box follows the cell under the cursor).
    "combo with entry": Cell(
        (*DIALOG, 'Click "Font"', 'Type "14 pt" into "Size:"', OK, CLOSED), toolbar_shows("Font Size", "14 pt")
    ),
    # "Percent" is both a toolbar button behind the dialog and the Category list's row: the step looks for it
    # in the modal dialog alone, as a person does (runner/targets.py).
    "list row": Cell((*DIALOG, NUMBERS, 'Click "Percent"', OK, CLOSED), a1_shows("123450.00%")),
    "tree row": NoCellYet("the Options dialog's tree is still to do"),
    # Varied until the Name Box was used only once it held the focus (an Enter sent before then left the box
    # holding it, and "42" went into the box): ✓ in every whole-column run since.
    "table cell": Cell(('Type "42" into cell "B2"', 'Expect cell "B2" to show "42"'), cell_holds("B2", "42")),
    # "Font" was taken for the toolbar's "Font Color" behind the dialog until targets were looked for in the
    # modal dialog alone.
    "tab": Cell((*DIALOG, 'Click "Font"'), has_state('role=tab[name="Font"]', State.SELECTED)),
    # A menu-bar item in a closed menu, opened along its path as a person does, on A1 (Ctrl+Home: the table
    # cell's write left the cursor below B2); read back as A1's new format.
    # (Calc exited after an earlier menu cell in session 5's whole-column runs, before LibreOffice's tree was
    # read by walking instead of its bridge's bulk read, which crashed it.)
    "menu-bar item": Cell(('Press "Ctrl+Home"', 'Click "Format > Number Format > Scientific"'), a1_shows("1.23E+03")),
    "context-menu item": NoCellYet("its result varies from run to run (the sheet off screen in some runs): a race"),
    "link": NoCellYet("no dialog with a link picked yet"),
    "date/time": NoCellYet("no dialog with a date field picked yet"),
    # File > Open (Ctrl+O) shows GTK's chooser through the VCL plugin: judged by Calc opening the file (a
    # window called after it, which the cell closes again for the next cells).
    "file chooser": Cell(
        (
            'Press "Ctrl+O"',
            f'Choose the file "{OPENED}"',
            f'Switch to "{OPENED.name}"',
            f'Close "{OPENED.name}"',
            'Switch to "Untitled 1"',
        )
    ),
    "colour chooser": NoCellYet("the Background tab's colour picker is still to do"),
    "scrolled-away element": NoCellYet("a long dialog list is still to pick"),
    "dialog": Cell((*DIALOG, 'Click "Cancel"', 'Wait for "Format Cells" to go away')),
}


def start_calc(virtual: VirtualDesktop) -> LaunchedApp:
    profile = tempfile.mkdtemp(prefix="lo-profile-", dir=virtual.temp_dir)
    argv = ["env", "SAL_USE_VCLPLUGIN=gtk3", "soffice", "--norestore", "--nologo"]
    return virtual.launch([*argv, f"-env:UserInstallation=file://{profile}", "--calc"], timeout=90)


@pytest.fixture(scope="module")
def column(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Column]:
    OPENED.write_text(_FODS, encoding="utf-8")
    # A Calc that ended with the file open left its lock: the next would ask whether to open it read-only.
    OPENED.with_name(f".~lock.{OPENED.name}#").unlink(missing_ok=True)
    with VirtualDesktop() as virtual:
        running = [start_calc(virtual)]
        with Desktop(CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=10.0) as desktop:
            column = Column(
                "libreoffice", virtual, desktop, running[0].name, tmp_path_factory.mktemp("lo"), step_timeout=8.0
            )

            def exited() -> bool:
                pid = running[0].pid
                return not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE

            def after() -> None:
                if exited():  # the next cells get a fresh Calc, with A1 as at the start
                    running[0] = start_calc(virtual)
                    column.prepare(*PREPARE)
                else:
                    close_extra_windows(column.desktop, column.app)

            column.exited, column.after = exited, after
            column.connect = lambda: Desktop(
                CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=5.0
            )
            column.prepare(*PREPARE)
            yield column
            column.close()


@pytest.mark.parametrize("row", ROWS)
def test_libreoffice_cell(column: Column, row: str, record_cell: Callable[[CellResult], None]) -> None:
    record_cell(column.run(row, CELLS[row]))
