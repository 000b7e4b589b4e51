"""The two ways into a spreadsheet's grid, chosen by what the app exposes (measured, see docs/spreadsheets.md).

- ``TableGrid``: the sheet is a table whose cells are made on demand (LibreOffice Calc): cells are read by
  row and column through the backend's table seam, never by walking; the cursor is moved by focusing a cell.
- ``NameBoxGrid``: the grid is not exposed at all (Gnumeric draws it): the cursor is moved through the Name
  Box (the entry showing the current cell's address) and a cell is read from the formula bar's entry.

Both write like a person: go to the cell, type the value, press Enter; then read the cell back.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Protocol, cast

from deskhand.backends.tables import TableAccess
from deskhand.errors import ActionFailed, NoMatch
from deskhand.locate.cells import CellAddress, CellRange, parse_cell, parse_range
from deskhand.locate.focusing import wait_for_app_focus
from deskhand.locate.formula_value import formula_value
from deskhand.locate.marked_cell import may_be_formatted, read_as_shown, read_kept, shown_text
from deskhand.locate.selected_range import SELECTION_FROM_CELLS, read_by_selection
from deskhand.locate.view import DesktopView
from deskhand.locate.waiting import retry_until
from deskhand.tree.node import Node
from deskhand.tree.roles import State

_ENTER_EVENTS_S = 2.0
_ADDRESS = re.compile(r"^\$?[A-Za-z]{1,4}\$?[0-9]{1,8}$")
_SIZE_OF_UNEXPOSED_GRID = (1_048_576, 16_384)  # what Calc and Gnumeric both allow; the app refuses beyond
# Up to this many cells that may show through a number format are read one by one, marked alone (~10 ms
# each); more, and the range is selected through the Name Box (~250 ms, whatever its size).
_MARKED_AT_MOST = 16
# The Name Box names more cells than this (a range marked): the cursor's cell is not told among them.
_KEPT_ASKED_AT_MOST = 256


class Grid(Protocol):
    """One sheet's cells, whatever the app exposes."""

    def size(self) -> tuple[int, int]: ...

    def texts(self, cells: CellRange) -> list[list[str]]: ...

    def entered(self, cell: CellAddress) -> str: ...

    def go_to(self, cell: CellAddress) -> None: ...

    def cursor(self) -> CellAddress | None: ...

    def wait_typed(self, text: str) -> None: ...

    def wait_committed(self, cell: CellAddress) -> None: ...


def is_name_box(node: Node) -> bool:
    """The entry that shows the current cell's address (Calc's and Gnumeric's Name Box are unnamed)."""
    if node.role not in ("textbox", "combobox") or State.SHOWING not in node.states:
        return False
    return _ADDRESS.match((node.value or "").strip()) is not None


def shown_as_entered(cells: CellRange, values: list[list[str]]) -> list[list[str]]:
    """The cells' entered texts as what the sheet shows, when no number is among them (text shows as
    entered); a number's format may show it otherwise, so without the app's shown text the read fails."""
    for r, row in enumerate(values):
        for c, text in enumerate(row):
            if may_be_formatted(text):
                here = CellAddress(cells.top + r, cells.left + c, cells.sheet)
                raise ActionFailed(
                    f"Cannot read {here} as the sheet shows it: it holds the number {text!r}, whose number "
                    "format may show it otherwise, and the app offered no shown text for it (the cell marked "
                    "alone, then selected through the Name Box).",
                    hint="The app gave no shown text for it (its X PRIMARY selection): close any dialog over "
                    "the sheet and read again.",
                )
    return values


class TableGrid:
    """A sheet exposed as one table (AT-SPI Table interface)."""

    def __init__(self, desktop: DesktopView, table: Node, window: Node, box: Node | None) -> None:
        self.desktop = desktop
        self.table = table
        self.window = window
        self.box = box
        self.seam = cast(TableAccess, desktop.backend)
        self._size: tuple[int, int] | None = None

    def size(self) -> tuple[int, int]:
        if self._size is None:
            self._size = self.seam.table_size(self.table.ref)
        return self._size

    def texts(self, cells: CellRange) -> list[list[str]]:
        """The cells as the sheet shows them. The table gives each cell's text as entered, a number without
        its format (1,234.50 reads 1234.5; 12.3% reads 12.34%): where a number may be among them, or the
        range is large, the shown texts come from the app's selection (``marked_cell``, ``selected_range``)."""
        if len(cells.rows) * len(cells.columns) >= SELECTION_FROM_CELLS:
            return read_by_selection(self, cells) or shown_as_entered(cells, self.table_texts(cells))
        if len(cells.rows) == len(cells.columns) == 1:
            here = CellAddress(cells.top, cells.left)
            if self._kept(cells):
                return [[read_kept(self.desktop, self.table.ref, here)]]
            entered, as_shown = read_as_shown(self.desktop, self.table.ref, here)
            if as_shown is not None or not may_be_formatted(entered):
                return [[entered if as_shown is None else as_shown]]
            return read_by_selection(self, cells, [[entered]]) or shown_as_entered(cells, [[entered]])
        values, kept = self._texts_and_kept(cells)
        numbers = [
            (r, c)
            for r, row in enumerate(values)
            for c, text in enumerate(row)
            if may_be_formatted(text) and (r, c) not in kept
        ]
        if not numbers:
            return values
        if len(numbers) <= _MARKED_AT_MOST:
            shown = [list(row) for row in values]
            for r, c in numbers:
                here = CellAddress(cells.top + r, cells.left + c)
                text = shown_text(self.desktop, self.table.ref, here, values[r][c])
                if text is None:
                    break
                shown[r][c] = text
            else:
                return shown
        return read_by_selection(self, cells, values) or shown_as_entered(cells, values)

    def entered(self, cell: CellAddress) -> str:
        """A sheet exposed as a table shows each cell's result: that is what the cell is read back as. Read
        through the table even where it keeps the cell's object: the text typed refreshes it."""
        rows, columns = range(cell.row, cell.row + 1), range(cell.column, cell.column + 1)
        return self.seam.table_texts(self.table.ref, rows, columns)[0][0]

    def table_texts(self, cells: CellRange) -> list[list[str]]:
        """Every cell through the table, one accessible object each (exact, ~0.2–0.6 ms a cell); a cell
        whose object the table keeps is read as shown (``_texts_and_kept``)."""
        return self._texts_and_kept(cells)[0]

    def _texts_and_kept(self, cells: CellRange) -> tuple[list[list[str]], set[tuple[int, int]]]:
        """The cells' texts through the table, and where among them a cell whose object the table keeps is:
        it holds the cell's shown text (``marked_cell.read_kept``), as the kept object's text may be stale.
        Only the cursor's cell can be kept: of a range, only the cells the Name Box names (the cursor's, or
        a marked range it is in) are asked about, or every cell where it names neither."""
        asked: CellRange | None = cells
        if self.box is not None and len(cells.rows) * len(cells.columns) > 1:
            value = (self.desktop.backend.refresh(self.box.ref).value or "").replace("$", "")
            asked = _overlap(cells, parse_range(value) or cells)
        found: list[tuple[int, int]] = []
        if asked is not None and len(asked.rows) * len(asked.columns) <= _KEPT_ASKED_AT_MOST:
            # Asked before the texts: a cell the cursor reaches after this has its object made then, afresh.
            found = self.seam.kept_cells(self.table.ref, asked.rows, asked.columns)
        values = self.seam.table_texts(self.table.ref, cells.rows, cells.columns)
        for row, column in found:
            values[row - cells.top][column - cells.left] = read_kept(
                self.desktop, self.table.ref, CellAddress(row, column)
            )
        return values, {(row - cells.top, column - cells.left) for row, column in found}

    def _kept(self, cell: CellRange) -> bool:
        """Whether the table keeps the one cell's object (two calls on the app's direct line: quicker than
        reading the Name Box for where the cursor is)."""
        return bool(self.seam.kept_cells(self.table.ref, cell.rows, cell.columns))

    def go_to(self, cell: CellAddress) -> None:
        backend = self.desktop.backend
        backend.activate_window(self.window.ref)
        self.seam.focus_cell(self.table.ref, cell.row, cell.column)
        # Focusing a cell moves the cursor but leaves the keyboard focus where it was (Calc): keys typed
        # while the Name Box holds it go into the box. Escape gives the focus back, as it does for a person.
        if self.box is not None:
            _give_focus_back(self.desktop, self.box, 0.0)

    def type_into_name_box(self, where: str, before_enter: Callable[[], None] | None = None) -> None:
        """Go to a cell or select a range as a person does: its address into the Name Box, then Enter;
        returns once the Name Box shows it."""
        if self.box is None:
            raise ActionFailed("The sheet shows no Name Box to type an address into.")
        backend = self.desktop.backend
        backend.activate_window(self.window.ref)
        wait_for_app_focus(backend, self.window)
        backend.set_text(self.box.ref, where)
        backend.focus(self.box.ref)
        # The box takes the focus after GrabFocus returns: an Enter sent before then reaches the sheet
        # (the cursor moves down a row) and the box keeps the focus, taking the next keys typed "into a cell".
        box = self.box
        _wait_focus(self.desktop, box, True, f"The Name Box did not take the keyboard focus to go to {where}.")
        if before_enter is not None:
            before_enter()
        version = backend.version()
        backend.press("Enter")
        # The key reaches the app by X, later AT-SPI calls by D-Bus, in either order: a call made before
        # the app took the Enter (a cell focused for the next write) would be undone by it. The app's
        # answer to the Enter is its events (the cursor and the selection move): wait for them.
        deadline = time.monotonic() + min(self.desktop.timeout, _ENTER_EVENTS_S)
        while backend.version() == version and time.monotonic() < deadline:
            backend.wait_for_change(0.1)
        retry_until(
            backend,
            lambda: _shows(backend.refresh(box.ref).value or "", where),
            timeout=self.desktop.timeout,
            on_timeout=lambda last: ActionFailed(f"The Name Box did not take the sheet to {where}."),
        )
        # Enter gives the focus back to the sheet once the app has moved; where the box still holds it (seen
        # once, under heavy load), Escape gives it back, so later keys do not go into the box.
        _give_focus_back(self.desktop, box, _ENTER_EVENTS_S)

    def wait_typed(self, text: str) -> None:
        """Nothing to wait for: the read-back reads the cell without moving the cursor, and X delivers the
        typed keys and the Enter after them in order."""

    def wait_committed(self, cell: CellAddress) -> None:
        """Nothing to wait for: the read-back reads the cell itself (until it holds the text), moving no
        focus a pending Enter could meet."""

    def cursor(self) -> CellAddress | None:
        if self.box is None:
            return None
        return parse_cell(self.desktop.backend.refresh(self.box.ref).value or "")


class NameBoxGrid:
    """A grid the app draws without exposing it: the Name Box moves the cursor, the formula bar reads."""

    def __init__(self, desktop: DesktopView, window: Node, box: Node, content: Node) -> None:
        self.desktop = desktop
        self.window = window
        self.box = box
        self.content = content

    def size(self) -> tuple[int, int]:
        return _SIZE_OF_UNEXPOSED_GRID

    def texts(self, cells: CellRange) -> list[list[str]]:
        rows: list[list[str]] = []
        for row in cells.rows:
            rows.append([self._read(CellAddress(row, column)) for column in cells.columns])
        return rows

    def _read(self, cell: CellAddress) -> str:
        held = self.entered(cell)
        if held.startswith("=") and len(held) > 1:
            # The edit line shows the formula; its result is only drawn: asked of the edit line (F9).
            return formula_value(self.desktop, self.content, held, cell.name)
        return held

    def entered(self, cell: CellAddress) -> str:
        """What the cell holds as entered — its edit line: a constant, or a formula's text."""
        self.go_to(cell)
        return self.desktop.backend.refresh(self.content.ref).value or ""

    def go_to(self, cell: CellAddress) -> None:
        """The address into the Name Box, then the box's own action (a GTK entry's "activate": what Enter
        does in it), which the app runs within that one D-Bus call: it jumps to the cell, gives its sheet the
        keyboard focus and writes where the cursor now is into the box (Gnumeric's cb_statusbox_activate).
        Arriving is judged by that: the box shows the cell and does not hold the focus.

        It was the box's focus, then Enter by X: the key and the focus request go by two channels, and the
        focus looked at live before the Enter could move before the key arrived (Gnumeric places its own
        focus after it opens or a window switch; seen in CI as 'did not take the sheet to C1', rare, not
        reproduced in 300 moves under load). The box needs no focus now and no key is sent: nothing can come
        between the address and its Enter but the app's own D-Bus order."""
        backend = self.desktop.backend
        backend.activate_window(self.window.ref)
        wait_for_app_focus(backend, self.window)  # an app just opened places its focus first: keys follow
        backend.set_text(self.box.ref, cell.name)
        backend.click(self.box.ref)  # an entry's click is its action (the backend runs an action first)
        self._wait(lambda: self._arrived(cell), f"The Name Box did not take the sheet to {cell.name}.")

    def wait_typed(self, text: str) -> None:
        """Keys are handled by the app after they are sent: wait until the edit line shows what was typed
        (else Enter, or the next move, lands while the app still takes the keys, and cuts the text short)."""
        shown: list[str] = []

        def mirrored() -> None:
            shown[:] = [self.desktop.backend.refresh(self.content.ref).value or ""]
            if shown[0] != text:
                raise NoMatch(f"The edit line shows {shown[0]!r}.")

        self._wait(mirrored, f"Typed {text!r}, but the edit line shows {shown[0] if shown else ''!r}.")

    def wait_committed(self, cell: CellAddress) -> None:
        """Until the app has taken the Enter that commits ``cell``: it moves the cursor off the cell. The
        Enter goes by X and the next move's focus request by D-Bus; the app may take the request first, and
        the Enter then lands in the Name Box (measured: the box took the focus and lost it to that Enter
        within 3 ms, and the move waited for a focus that never came, or went one row too far)."""

        def moved() -> None:
            if self.cursor() == CellAddress(cell.row, cell.column):
                raise NoMatch(f"The cursor is still on {cell.name}.")

        self._wait(
            moved,
            f"Enter did not commit {cell.name}: the cursor stayed on it. deskhand commits a cell with Enter and "
            "waits for the app to move the cursor off it (Gnumeric's default; its 'Enter moves selection').",
        )

    def _wait(self, check: Callable[[], None], failure: str) -> None:
        retry_until(
            self.desktop.backend,
            check,
            timeout=self.desktop.timeout,
            on_timeout=lambda last: ActionFailed(failure),
        )

    def _focused(self, wanted: bool) -> None:
        if _has_focus(self.desktop, self.box) != wanted:
            raise NoMatch("The Name Box has not taken the focus yet." if wanted else "The Name Box keeps the focus.")

    def _arrived(self, cell: CellAddress) -> None:
        self._focused(False)
        if self.cursor() != CellAddress(cell.row, cell.column):
            raise NoMatch(f"The cursor is not on {cell.name} yet.")

    def cursor(self) -> CellAddress | None:
        value = self.desktop.backend.refresh(self.box.ref).value or ""
        return parse_cell(value)


def _has_focus(desktop: DesktopView, box: Node) -> bool:
    return State.FOCUSED in desktop.backend.refresh(box.ref).states


def _wait_focus(desktop: DesktopView, box: Node, wanted: bool, failure: str) -> None:
    """Until the Name Box holds the keyboard focus (or has let it go), read live: focus moves in the app's
    own time, after the call or key that asked for it."""

    def settled() -> None:
        if _has_focus(desktop, box) != wanted:
            raise NoMatch("The Name Box has not taken the focus yet." if wanted else "The Name Box keeps the focus.")

    retry_until(desktop.backend, settled, timeout=desktop.timeout, on_timeout=lambda last: ActionFailed(failure))


def _overlap(cells: CellRange, other: CellRange) -> CellRange | None:
    """The cells of ``cells`` inside ``other`` (None: none)."""
    top, left = max(cells.top, other.top), max(cells.left, other.left)
    bottom, right = min(cells.bottom, other.bottom), min(cells.right, other.right)
    return CellRange(top, left, bottom, right) if top <= bottom and left <= right else None


def _give_focus_back(desktop: DesktopView, box: Node, wait: float) -> None:
    """The keyboard focus is not in the Name Box: given back by the app within ``wait``, else by Escape."""
    deadline = time.monotonic() + wait
    while _has_focus(desktop, box):
        if time.monotonic() >= deadline:
            desktop.backend.press("Escape")
            _wait_focus(desktop, box, False, "The Name Box kept the keyboard focus after Escape.")
            return
        desktop.backend.wait_for_change(0.1)


def _shows(value: str, where: str) -> None:
    if value.replace("$", "").strip().casefold() != where.casefold():
        raise NoMatch(f"The Name Box shows {value!r}, not {where!r} yet.")


def formula_entry(window: Node, box: Node) -> Node | None:
    """The formula bar's entry: the other text entry in the Name Box's toolbar (Gnumeric's edit line)."""
    for node, ancestors in window.walk_with_ancestors():
        if node is box and ancestors:
            bar = next((a for a in reversed(ancestors) if a.role == "toolbar"), ancestors[-1])
            entries = [n for n in bar.walk() if n.role == "textbox" and n is not box and n.ref != box.ref]
            return entries[-1] if entries else None
    return None
