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
from datetime import datetime
from pathlib import Path

import psutil
import pytest
from tests.coverage.cells import (
    Cell,
    Column,
    NotApplicable,
    Probe,
    Spec,
    Verify,
    close_extra_windows,
)
from tests.coverage.matrix import ROWS, CellResult
from tests.coverage.readback import REPORT_WAIT_S, has_state, holds_value, shows_window

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
PROPERTIES = ('Click "File > Properties..."', 'Wait for "Properties of" to appear', 'Click "Description"')
OPTIONS = ('Click "Tools > Options..."', 'Wait for "Options - LibreOffice" to appear')
# xdg-open starts its handler after the click returned: a loaded machine takes seconds.
OPEN_WAIT_S = 10.0
AREA = ('Click "Format > Text Box and Shape > Area..."', 'Click "Gradient"')
SHOW_CHANGES = ('Click "Edit > Track Changes > Show..."', 'Wait for "Show Changes" to appear')
FILTER_TIME = f"{(datetime.now().hour + 12) % 24:02d}:17"
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


def cells_hold(wanted: dict[str, str]) -> Verify:
    def verify(probe: Probe) -> str | None:
        sheet = Sheet(probe.desktop.app(probe.app))
        shown = {cell: sheet.read(cell) for cell in wanted}
        return None if shown == wanted else f"the cells show {shown!r}, not {wanted!r}"

    return verify


def opened(prefix: str) -> Verify:
    """The desktop was asked to open an address starting with ``prefix`` since the cell began (the recorder
    writes a line per address; xdg-open runs after the click returned)."""

    def verify(probe: Probe) -> str | None:
        deadline = time.monotonic() + OPEN_WAIT_S
        while True:
            lines = probe.output()
            if any(line.startswith(prefix) for line in lines):
                return None
            if time.monotonic() >= deadline:
                return f"no address starting with {prefix!r} was opened ({lines!r})"
            time.sleep(0.05)

    return verify


CELLS: dict[str, Spec] = {
    # Calc reports its drawn toolbars 25 px too high for a while after its window opens (the menu bar's
    # height): the click hit the row above ("Headers and Footers") until places were read with their frame's
    # offset (backends/atspi/vcl_frame.py). Read back as A1's new format; the next cells' formats keep its
    # two decimal places.
    "button": Cell(('Click "Add Decimal Place"',), a1_shows("1234.50")),
    "toggle": Cell(('Turn on "Bold"',), has_state('role=button[name="Bold"]', State.CHECKED)),
    "check": Cell((*DIALOG, NUMBERS, 'Check "Thousands separator"', OK, CLOSED), a1_shows("1,234.50")),
    # Insert Cells' non-default choice, read back as where A5's text went (right, not down). (A5 itself is
    # no evidence: Calc keeps answering its old text for the cell under the cursor after an insert.)
    "radio": Cell(
        (
            'Type "moved" into cell "A5"',
            'Press "Up"',
            'Click "Sheet > Insert Cells..."',
            'Wait for "Insert Cells" to appear',
            'Click "Shift cells right"',
            'Click "OK"',
            'Wait for "Insert Cells" to go away',
            'Press "Ctrl+Home"',
        ),
        cells_hold({"B5": "moved", "A6": ""}),
    ),
    # Checked: no GtkSwitch in any of LibreOffice 7.4's dialog definitions (grep of /usr/lib/libreoffice:
    # 0 files), and VCL has no switch control of its own.
    "switch": NotApplicable("LibreOffice 7.4 has no switch (no GtkSwitch in any of its .ui files; VCL has none)"),
    "entry": Cell((*DIALOG, NUMBERS, 'Type "0.000" into "Format Code"', OK, CLOSED), a1_shows("1234.500")),
    # Tools > Protect Sheet's password entries; read back by the app itself: it asks for a password to lift
    # the protection (an empty one would not be asked for) and takes the one typed (a wrong one leaves the
    # sheet protected, and the last step's write into it fails).
    "password": Cell(
        (
            'Click "Tools > Protect Sheet..."',
            'Wait for "Protect Sheet" to appear',
            'Type "s3cret-pw" into "Password:"',
            'Type "s3cret-pw" into "Confirm:"',
            'Click "OK"',
            'Wait for "Protect Sheet" to go away',
            'Click "Tools > Protect Sheet..."',
            'Wait for "Unprotect Sheet" to appear',
            'Type "s3cret-pw" into "Password"',
            'Click "OK"',
            'Wait for "Unprotect Sheet" to go away',
            'Type "open" into cell "E8"',
            'Press "Ctrl+Home"',
        ),
        cells_hold({"E8": "open"}),
    ),
    # File > Properties' Comments (a GtkTextView); read back from the dialog opened again: what the document
    # holds.
    "multi-line text": Cell(
        (
            *PROPERTIES,
            'Type "Figures for the board" into "Comments:"',
            'Click "OK"',
            'Wait for "Properties of" to go away',
            *PROPERTIES,
        ),
        holds_value('role=textbox[label="Comments:"]', "Figures for the board"),
    ),
    "spin": Cell((*DIALOG, NUMBERS, 'Set "Decimal places:" to 2', OK, CLOSED), a1_shows("1234.50")),
    # Calc's sliders are on a drawing's Area > Gradient page (the status bar's zoom slider is a nameless drawn
    # label): a Fontwork drawing is put in, its gradient border set with the slider, and read back from the
    # page opened again (the spin button beside the slider shows its value, with its unit: "25%"). The
    # drawing is deleted afterwards (the sheet's centre is the context-menu cell's): the Formatting toolbar is
    # back, showing A1's font size, only once no drawing is selected.
    "slider": Cell(
        (
            'Click "Insert > Fontwork..."',
            'Wait for "Fontwork Gallery" to appear',
            OK,
            'Wait for "Fontwork Gallery" to go away',
            *AREA,
            "Set the second slider to 25",
            OK,
            'Wait for "Border:" to go away',
            *AREA,
            'Expect "Border:" to show "25%"',
            'Click "Cancel"',
            'Wait for "Border:" to go away',
            'Press "Delete"',
        ),
        toolbar_shows("Font Size", "10 pt"),
    ),
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
    # Tools > Options' tree; read back as the page the dialog shows (its title names it).
    "tree row": Cell((*OPTIONS, 'Click "Paths"'), shows_window("Options - LibreOffice - Paths")),
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
    # The sheet's context menu at its centre; read back as the dialog its item opens. (It varied while Calc's
    # drawn part was placed 25 px too high at times: backends/atspi/vcl_frame.py.)
    "context-menu item": Cell(
        ('Right-click "Sheet Sheet1"', 'Click "Format Cells..."', 'Wait for "Format Cells" to appear'),
        shows_window("Format Cells"),
    ),
    # The About dialog's "Website" (a GtkLinkButton); read back as the address Calc asked the desktop to open
    # (xdg-open, which the column routes to a recorder: see url_recorder).
    "link": Cell(
        ('Click "Help > About LibreOffice"', 'Wait for "About LibreOffice" to appear', 'Click "Website"'),
        opened("https://www.libreoffice.org/"),
    ),
    # Edit > Track Changes > Show's filter time (a time field: a spin button showing "HH:MM", offered with
    # recording on); read back from the dialog opened again: what the document's change view keeps. The time
    # is 12 hours from now, never the "now" the field starts with. (Recording stays on: turning it off asks.)
    "date/time": Cell(
        (
            'Click "Edit > Track Changes > Record"',
            *SHOW_CHANGES,
            'Check "Date:"',
            f'Type "{FILTER_TIME}" into "Start Time"',
            OK,
            'Wait for "Show Changes" to go away',
            *SHOW_CHANGES,
        ),
        holds_value('role=spinbutton[name="Start Time"]', FILTER_TIME),
    ),
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
    # Format Cells' Background palette (VCL's drawn colour set, its colours named list items); read back as
    # the "Active" colour the dialog shows for A1 when opened again.
    "colour chooser": Cell(
        (
            'Press "Ctrl+Home"',
            *DIALOG,
            'Click "Background"',
            'Click "Color"',
            'Click "Red"',
            OK,
            CLOSED,
            *DIALOG,
            'Click "Background"',
        ),
        holds_value('role=textbox[label="Hex"] >> nth=0', "ff0000"),
    ),
    # Options' tree with "LibreOffice Calc" opened: its "Grid" page lies below the tree's visible part (the
    # "LibreOffice" branch above stays open from the tree-row cell).
    "scrolled-away element": Cell(
        (*OPTIONS, 'Double-click "LibreOffice Calc"', 'Click "Grid"'),
        shows_window("Options - LibreOffice Calc - Grid"),
    ),
    "dialog": Cell((*DIALOG, 'Click "Cancel"', 'Wait for "Format Cells" to go away')),
}


def url_recorder(virtual: VirtualDesktop) -> Path:
    """Route the desktop's web addresses (xdg-open's handler for http and https, from the desktop's own
    mimeapps.list) to a recorder that appends each address to a file, instead of a browser: the file."""
    env = virtual.env
    config, data = Path(env["XDG_CONFIG_HOME"]), Path(env["XDG_DATA_HOME"])
    record = virtual.temp_dir / "opened-addresses.txt"
    record.touch()
    (data / "applications").mkdir(parents=True, exist_ok=True)
    (data / "applications" / "url-recorder.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=URL recorder\n"
        f'Exec=sh -c "echo %u >> {record}"\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n'
    )
    config.mkdir(parents=True, exist_ok=True)
    (config / "mimeapps.list").write_text(
        "[Default Applications]\n"
        "x-scheme-handler/http=url-recorder.desktop\nx-scheme-handler/https=url-recorder.desktop\n"
    )
    return record


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
        opened_addresses = url_recorder(virtual)
        running = [start_calc(virtual)]
        with Desktop(CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=10.0) as desktop:
            column = Column(
                "libreoffice",
                virtual,
                desktop,
                running[0].name,
                tmp_path_factory.mktemp("lo"),
                output=lambda: opened_addresses.read_text().splitlines(),
                step_timeout=8.0,
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
