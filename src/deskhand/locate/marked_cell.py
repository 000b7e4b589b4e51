"""One cell as the sheet shows it, from the text the app offers for that cell marked alone.

A sheet's cell gives its text over AT-SPI as it was entered, not as it is shown: Calc reads 1,234.50 as
``1234.5``, 12.3% as ``12.34%``, a date in its edit form. What the sheet shows comes from the cell's number
format, which accessibility does not expose. A person who wants it copies the cell: a sheet offers the shown
text of its marked cells as X's PRIMARY selection. Marking one cell through the table's Selection interface
(no keys, the cursor stays where it is) makes Calc offer it at once: ~10 ms, against ~250 ms for a range
selected through the Name Box (benchmarks/spreadsheet.py).

The answer must prove itself: the app claimed the selection after the cell was marked (so it is
fresh), and it equals the cell's entered text unless a number format explains the difference (a cell whose
entered text holds a quote, tab or line break is text, which the app may quote: its entered text stands).
The mark is taken away afterwards; cells the person had marked before are unmarked too (as their click on
a cell would), the cursor stays. None: no such answer (the caller reads the cells another way, or fails:
never the entered text of a number, which its format may show otherwise).

The cell under the cursor may have no entered text to prove with: Calc keeps that cell's accessible object
and leaves its text stale when cells move under it or it is cleared (``backends.tables.kept_cells``). Its
shown text is read marked alone all the same (``read_kept``), proven without it: the app claimed the
selection after the mark, and once its answer is in, that cell is still the one cell marked (a key still on
its way that marked more, or moved the mark, fails it). Its answer holds no tab or line break (a text holding
one may be quoted in it); else the read fails, never stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from deskhand.backends.tables import TableAccess
from deskhand.errors import ActionFailed
from deskhand.locate.cells import CellAddress
from deskhand.locate.view import DesktopView

# The app claims the selection some milliseconds after the mark (0-70 ms measured under load; the wait ends
# on the X server's word of it); this only bounds the wait for an app that offers nothing.
_ANSWER_S = 2.0
_QUOTABLE = ('"', "\t", "\n", "\r")
_NUMBER_LETTERS = re.compile(r"(?<=\d)[eE](?=[-+]?\d)|\b[AaPp][Mm]\b")


def may_be_formatted(entered: str) -> bool:
    """A cell whose shown text may differ from its entered text: a number (a date, a time and a percentage
    are numbers too), whose entered text has a digit and no letters but an exponent's E and AM/PM. Other
    text shows as entered."""
    letters = _NUMBER_LETTERS.sub("", entered)
    return any(char.isdigit() for char in entered) and not any(char.isalpha() for char in letters)


def read_as_shown(desktop: DesktopView, table_ref: str, cell: CellAddress) -> tuple[str, str | None]:
    """One cell's entered text, and the text the sheet shows in it where a number format may show it
    otherwise (None: no answer that proves itself) — one read of the cell, marked only when it holds a
    number."""
    entered, offered = _ask(desktop, table_ref, cell, may_be_formatted)
    return entered, _proven(entered, offered)


def shown_text(desktop: DesktopView, table_ref: str, cell: CellAddress, entered: str) -> str | None:
    """The text the sheet shows in ``cell``, whose entered text was read (with others) as ``entered``; None
    when there is no answer that proves itself, or the cell holds something else by now."""
    now, offered = _ask(desktop, table_ref, cell, lambda text: text == entered)
    return _proven(entered, offered) if now == entered else None


def read_kept(desktop: DesktopView, table_ref: str, cell: CellAddress) -> str:
    """The shown text of a cell whose object the table keeps (the cursor's, in Calc), whose entered text may
    be stale: the app's answer for the cell marked alone, or ActionFailed."""
    _, offered = _ask(desktop, table_ref, cell, lambda entered: True)
    if offered is not None and not any(mark in offered for mark in ("\t", "\n", "\r")):
        return offered
    raise ActionFailed(
        f"Cannot read {cell} afresh: it is under the cell cursor, whose accessible text the app does not "
        "refresh when cells move or are cleared, and "
        + (
            "the app offered no text for it marked alone."
            if offered is None
            else "the text the app offered for it marked alone holds a tab or line break (it may be quoted)."
        ),
        hint="Close any dialog over the sheet and read again, or move the cell cursor off the cell first.",
    )


def _ask(
    desktop: DesktopView, table_ref: str, cell: CellAddress, mark_if: Callable[[str], bool]
) -> tuple[str, str | None]:
    backend = cast(TableAccess, desktop.backend)
    timeout = min(desktop.timeout, _ANSWER_S)
    try:
        return backend.cell_as_shown(table_ref, (cell.row, cell.column), mark_if, timeout)
    except ActionFailed:
        # The table would not mark the cell: read it plainly; its shown text is then unknown.
        rows, columns = range(cell.row, cell.row + 1), range(cell.column, cell.column + 1)
        return backend.table_texts(table_ref, rows, columns)[0][0], None


def _proven(entered: str, text: str | None) -> str | None:
    if text is None or text == entered:
        return text
    if any(mark in entered for mark in _QUOTABLE) or not may_be_formatted(entered):
        return None  # text, which shows as entered: the answer is not this cell's
    return text if text and not any(mark in text for mark in ("\t", "\n")) else None
