"""The cells for the two galleries written for the matrix (the Qt gallery and the web page): same names, so
the same sentences; where the kinds differ (Qt has no switch; file and colour dialogs are each toolkit's own)
the cell says so."""

from __future__ import annotations

from tests.coverage.cells import Cell, NotApplicable, Spec
from tests.coverage.readback import reported

FILE = "/etc/os-release"


def gallery_cells(kind: str) -> dict[str, Spec]:
    """``kind`` is "qt" or "web"."""
    cells: dict[str, Spec] = {
        "button": Cell(('Click "Say hello"',), reported("button", "clicked")),
        "toggle": Cell(('Turn on "Bold"',), reported("toggle", True)),
        "check": Cell(('Check "Subscribe"',), reported("check", True)),
        "radio": Cell(('Click "Large"',), reported("radio", "Large")),
        "switch": Cell(('Turn on "Wi-Fi"',), reported("switch", True)),
        "entry": Cell(
            ('Read "Name" as before', 'Type "Ada Lovelace" into "Name"', 'Expect "Name" to show "Ada Lovelace"'),
            reported("entry", "Ada Lovelace"),
        ),
        "password": Cell(('Type "s3cret-pw" into "Password"',), reported("password", "s3cret-pw")),
        "multi-line text": Cell(
            ('Read "Notes" as before', 'Type "First line" into "Notes"', 'Expect "Notes" to show "First line"'),
            reported("multi-line", "First line"),
        ),
        "spin": Cell(
            ('Read "Seats" as before', 'Type "42" into "Seats"', 'Expect "Seats" to show "42"'),
            reported("spin", 42),
        ),
        "slider": Cell(('Read "Volume" as before', 'Set "Volume" to 70'), reported("slider", 70)),
        "combo": Cell(('Read "Plan" as before', 'Select "Pro" from "Plan"'), reported("combo", "Pro")),
        "combo with entry": Cell(
            ('Read "City" as before', 'Type "Lisbon" into "City"', 'Expect "City" to show "Lisbon"'),
            reported("combo-entry", "Lisbon"),
        ),
        "list row": Cell(('Select "Banana" from "Fruits"',), reported("list", "Banana")),
        "tree row": Cell(('Click "Pictures"',), reported("tree", "Pictures")),
        "table cell": Cell(('Click "Bob"',), reported("table", "Bob")),
        "tab": Cell(('Click "Advanced"',), reported("tab", "Advanced")),
        "menu-bar item": Cell(('Click "Tools"', 'Click "Say goodbye"'), reported("menu", "Say goodbye")),
        "context-menu item": Cell(
            ('Right-click "Right-click me"', 'Click "Copy name"'), reported("context-menu", "Copy name")
        ),
        "link": Cell(
            ('Click "Read the docs"',), reported("link", "#docs" if kind == "web" else "https://example.org/docs")
        ),
        "date/time": Cell(
            ('Read "Start date" as before', 'Type "2025-03-01" into "Start date"'), reported("date", "2025-03-01")
        ),
        "scrolled-away element": Cell(
            ('Click "Far away"',) if kind == "web" else ('Click "Item 40"',),
            reported("scrolled", "Far away" if kind == "web" else "Item 40"),
        ),
        "dialog": Cell(('Click "Delete…"', 'Click "Yes"'), reported("dialog", "Yes")),
    }
    if kind == "qt":
        cells["switch"] = NotApplicable("Qt Widgets has no switch widget")
        cells["table cell"] = Cell(('Click "Bob"',), reported("table-current", [1, 0]))
        cells["file chooser"] = Cell(
            ('Click "Choose file…"', f'Type "{FILE}" into "File name:"', 'Click "Open"'), reported("file", FILE)
        )
        cells["colour chooser"] = Cell(
            ('Click "Pick colour…"', 'Type "#ff0000" into "HTML:"', 'Click "OK"'), reported("colour", "#ff0000")
        )
    else:
        # Firefox opens GTK's file chooser; Chromium's (not on AT-SPI) is answered in the page.
        cells["file chooser"] = Cell(
            ('Click "Attachment"', f'Choose the file "{FILE}"'), reported("file", "os-release")
        )
        cells["colour chooser"] = Cell(
            ('Click "Colour"', 'Type "#ff0000" into "Colour"'), reported("colour", "#ff0000")
        )
    return cells
