"""A spreadsheet open in an app: cells by address (``C3``, ``Sheet2.B4``), by column header and row, ranges
and the used area as rows — the way a person reads and fills a sheet.

The sheet named in an address is brought to the front by its tab (as a person clicks it); an address
without a sheet means the sheet in view. Rows are numbered as the sheet shows them (row 1 is the first).
Writing goes to the cell, types and presses Enter, then reads the cell back: a value the app changed
(AutoCorrect, a number format) fails the step and says what the cell holds.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass
from typing import cast

from deskhand.backends.tables import TableAccess, supports_tables
from deskhand.errors import ActionFailed, LocatorError, LocatorTimeout, NodeGone, NoMatch
from deskhand.locate.cells import CellAddress, CellRange, column_letters, parse_cell, parse_range
from deskhand.locate.dialogs import describe_dialog, is_blocking
from deskhand.locate.grids import Grid, NameBoxGrid, TableGrid, formula_entry, is_name_box
from deskhand.locate.locator import Locator, is_visible
from deskhand.locate.marked_cell import may_be_formatted
from deskhand.locate.waiting import retry_until
from deskhand.tree.match import RoleIndex
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

_HEADER_CHUNK = 32  # columns read at a time while looking along the header row
_CONTROL = ("\n", "\r", "\t")
_SETTLE_S = 0.5  # how long Ctrl+End may take to move the cursor before "it stays on A1" is believed
# A dialog with no sheet behind it is judged once the app has had no event for _DIALOG_QUIET_S (at most
# _DIALOG_SETTLE_LIMIT_S: Gnumeric never stops sending them).
_DIALOG_QUIET_S, _DIALOG_SETTLE_LIMIT_S = 0.5, 3.0
_PART_ROLES = frozenset({Role.TABLE, Role.TAB, Role.TEXTBOX, Role.COMBOBOX})  # a sheet, its tabs, its Name Box


@dataclass(frozen=True, slots=True)
class _Found:
    app_ref: str
    window: Node
    tabs: tuple[Node, ...]
    grid: Grid


class Sheet:
    """``Sheet(desktop.app("soffice")).read("B4")``; every call finds the sheet afresh (resolved late), except
    where the app's event-kept tree is the very one it was found in (nothing has changed since)."""

    def __init__(self, scope: Locator) -> None:
        self.scope = scope
        self.desktop = scope.desktop
        self.timeout = scope.desktop.timeout if scope.timeout is None else scope.timeout
        self._kept: tuple[Node, _Found] | None = None  # the app's tree, and the sheet found in it

    # ---- reading and writing ------------------------------------------------------------------------
    def read(self, cell: str, row: str | None = None) -> str:
        """The shown text of one cell: ``read("B4")``, ``read("Sheet2.B4")``, ``read("Email", row="3")``."""
        found, address = self._cell(cell, row)
        return found.grid.texts(CellRange(address.row, address.column, address.row, address.column))[0][0]

    def write(self, cell: str, text: str, row: str | None = None) -> str:
        """Type ``text`` into one cell and commit it with Enter; returns what the cell shows afterwards."""
        if any(mark in text for mark in _CONTROL):
            raise ActionFailed(
                f"Cannot type {text!r} into a cell: it holds a line break or tab, which would move the cursor.",
                hint="Write one line per cell.",
            )
        found, address = self._cell(cell, row)
        found.grid.go_to(address)
        backend = self.desktop.backend
        backend.type_text(text)
        found.grid.wait_typed(text)
        backend.press("Enter")
        found.grid.wait_committed(address)
        return self._read_back(found.grid, address, text)

    def expect(self, cell: str, text: str, row: str | None = None) -> None:
        """Wait until one cell shows ``text`` exactly; fail saying what it shows."""
        shown: list[str] = []

        def attempt() -> None:
            shown[:] = [self.read(cell, row)]
            if shown[0] != text:
                raise NoMatch(f"Cell {cell} shows {shown[0]!r}.")

        def failed(last: LocatorError | None) -> Exception:
            if last is not None and not shown:
                return last  # the cell itself was not found: say why
            where = cell if row is None else f"{cell} of row {row}"
            return LocatorTimeout(
                f"Cell {where} shows {shown[0] if shown else ''!r}, not {text!r} (waited {self.timeout:g} s).",
                hint="Check the expected value, or the cell's address.",
            )

        retry_until(self.desktop.backend, attempt, timeout=self.timeout, on_timeout=failed)

    def read_range(self, cells: str) -> list[list[str]]:
        """The rows of a rectangle ``A1:D20`` (or ``Sheet2.A1:D20``), each a list of shown texts."""
        rectangle = parse_range(cells)
        if rectangle is None:
            raise NoMatch(
                f"{cells!r} is not a range of cells.",
                hint='Write two corners, e.g. Read cells "A1:D20" as rows (or "Sheet2.A1:D20").',
            )
        found = self._found(rectangle.sheet)
        self._check_inside(found, CellAddress(rectangle.bottom, rectangle.right, rectangle.sheet), cells)
        return found.grid.texts(rectangle)

    def read_used(self, sheet: str | None = None) -> list[list[str]]:
        """Every row of the used area (from A1 to the last cell that holds something)."""
        found = self._found(sheet)
        return found.grid.texts(self._used(found))

    def headers(self, sheet: str | None = None) -> list[str]:
        """The texts of row 1, up to the last column that has one."""
        return self._headers(self._found(sheet))

    # ---- finding the sheet, its cells and headers ----------------------------------------------------
    def _cell(self, text: str, row: str | None) -> tuple[_Found, CellAddress]:
        if row is not None:
            return self._by_header(text, row)
        address = parse_cell(text)
        if address is None:
            raise NoMatch(
                f"{text!r} is not a cell address.",
                hint='Write a column letter and a row number: Read cell "B4" as total (or "Sheet2.B4"); '
                'to name a column by its header: Read cell "Email" of row 3 as email.',
            )
        found = self._found(address.sheet)
        self._check_inside(found, address, text)
        return found, address

    def _by_header(self, header: str, row: str) -> tuple[_Found, CellAddress]:
        found = self._found(None)
        number = int(row) if row.strip().isdigit() else 0
        if number < 1:
            raise NoMatch(f"{row!r} is not a row number.", hint="Rows are numbered as the sheet shows them, from 1.")
        headers = self._headers(found)
        wanted = " ".join(header.split()).casefold()
        matches = [i for i, text in enumerate(headers) if " ".join(text.split()).casefold() == wanted]
        if len(matches) != 1:
            named = [h for h in headers if h.strip()]
            nearest = difflib.get_close_matches(header, named, n=3, cutoff=0.4) or named[:5]
            what = "two columns are headed" if matches else "no column is headed"
            raise NoMatch(
                f"In row 1 of the sheet {what} {header!r}.",
                candidates=[f'"{h}"' for h in nearest],
                hint=(
                    f"Columns: {', '.join(repr(h) for h in named[:12]) or 'none'}. "
                    + (f'Write: cell "{nearest[0]}" of row {number}' if nearest else "Check the header row.")
                ),
            )
        address = CellAddress(number - 1, matches[0])
        self._check_inside(found, address, f"{header} of row {number}")
        return found, address

    def _headers(self, found: _Found) -> list[str]:
        _, columns = found.grid.size()
        headers: list[str] = []
        for left in range(0, columns, _HEADER_CHUNK):
            right = min(left + _HEADER_CHUNK, columns) - 1
            chunk = found.grid.texts(CellRange(0, left, 0, right))[0]
            headers.extend(chunk)
            if not any(text.strip() for text in chunk):
                break
        while headers and not headers[-1].strip():
            headers.pop()
        return headers

    def _check_inside(self, found: _Found, address: CellAddress, written: str) -> None:
        rows, columns = found.grid.size()
        if address.row < rows and address.column < columns:
            return
        last = f"{column_letters(columns - 1)}{rows}"
        inside = CellAddress(min(address.row, rows - 1), min(address.column, columns - 1), address.sheet)
        raise NoMatch(
            f"There is no cell {written!r}: the sheet ends at {last} ({columns} columns, {rows} rows).",
            candidates=[f'"{inside}"'],
            hint=f'The nearest cell is {inside}: write cell "{inside}".',
        )

    def _used(self, found: _Found) -> CellRange:
        """A1 to the last used cell, found like a person does: Ctrl+End from A1, then back to where the
        cursor was. The cursor staying on A1 for a moment means the sheet uses A1 alone (or nothing)."""
        grid, backend = found.grid, self.desktop.backend
        before = grid.cursor() or CellAddress(0, 0)
        grid.go_to(CellAddress(0, 0))
        backend.press("Ctrl+End")
        pressed = time.monotonic()

        def moved() -> CellAddress:
            where = grid.cursor()
            if where is None:
                raise NoMatch("The sheet shows no cell address.")
            if where == CellAddress(0, 0) and time.monotonic() - pressed < _SETTLE_S:
                raise NoMatch("The cursor has not moved yet.")
            return where

        end = retry_until(
            backend,
            moved,
            timeout=self.timeout,
            on_timeout=lambda last: LocatorTimeout("The sheet did not say where its used area ends."),
        )
        grid.go_to(before)
        return CellRange(0, 0, end.row, end.column)

    def _found(self, sheet: str | None) -> _Found:
        found = retry_until(
            self.desktop.backend,
            self._find,
            timeout=self.timeout,
            on_timeout=lambda last: last or NoMatch(f"No spreadsheet in {self.scope.describe()}."),
        )
        if sheet is None or _selected_tab(found.tabs) == sheet.casefold():
            return found
        self._select_sheet(found, sheet)
        return retry_until(
            self.desktop.backend,
            lambda: self._front(sheet),
            timeout=self.timeout,
            on_timeout=lambda last: last or LocatorTimeout(f"The sheet {sheet!r} did not come to the front."),
        )

    def _front(self, sheet: str) -> _Found:
        found = self._find()
        if _selected_tab(found.tabs) != sheet.casefold():
            tab = next(t for t in found.tabs if t.name.casefold() == sheet.casefold())
            # The tab's state changes without an event the tree hears of: ask the tab, then read afresh.
            if State.SELECTED in self.desktop.backend.refresh(tab.ref).states:
                self.desktop.backend.invalidate(found.app_ref)
            raise NoMatch(f"The sheet {sheet!r} is not in front yet.")
        return found

    def _select_sheet(self, found: _Found, sheet: str) -> None:
        tab = next((t for t in found.tabs if t.name.casefold() == sheet.casefold()), None)
        if tab is None:
            names = [t.name for t in found.tabs]
            nearest = difflib.get_close_matches(sheet, names, n=3, cutoff=0.3) or names[:5]
            raise NoMatch(
                f"There is no sheet called {sheet!r} in {found.window.name!r}.",
                candidates=[f'"{name}"' for name in nearest],
                hint=f"Sheets: {', '.join(repr(n) for n in names) or 'none'}."
                + (f' Write the address as "{nearest[0]}.<cell>", e.g. "{nearest[0]}.A1".' if nearest else ""),
            )
        if supports_tables(self.desktop.backend):
            cast(TableAccess, self.desktop.backend).select_tab(tab.ref)
        else:
            self.desktop.backend.click(tab.ref)

    def _find(self) -> _Found:
        """The window with a sheet: its grid (a table, or the Name Box and formula bar) and sheet tabs."""
        seen: list[str] = []
        modal: tuple[str, Node] | None = None
        for resolved in self.scope.resolve_all():
            root = resolved.node
            if self._kept is not None and self._kept[0] is root:
                return self._kept[1]  # an immutable tree handed out again: no event has changed it
            windows = [w for w in root.children if is_visible(w)] or list(root.children)
            modal = modal or next(((resolved.app.name, w) for w in windows if is_blocking(w, (root,))), None)
            windows.sort(key=lambda w: State.ACTIVE not in w.states)
            for window in windows:
                seen.append(window.name)
                # One walk for the three parts: every step on a cell finds the sheet afresh (~1,900 nodes).
                box, tables, tabs = _sheet_parts(window, self.desktop.role_index)
                grid = self._grid(window, box, tables)
                if grid is not None:
                    found = _Found(resolved.app.ref, window, tabs, grid)
                    self._kept = (root, found)
                    return found
        if modal is not None and self._still_asking(modal[1]):
            # A question in front (a recovery prompt, "Save changes?"), maybe the app's only window: it hides
            # the sheet, and waiting will not answer it: said at once, naming it.
            raise describe_dialog(*modal).error("finding the spreadsheet")
        raise NoMatch(
            f"No spreadsheet in {self.scope.describe()}: no sheet table and no Name Box in its windows.",
            candidates=[f'"{name}"' for name in seen[:5]],
            hint="Open the spreadsheet first, or switch to its window.",
        )

    def _still_asking(self, dialog: Node) -> bool:
        """Whether ``dialog`` is still shown once the app has been quiet a moment: one just answered (the
        step before clicked its Discard) goes away with events, and the sheet comes after it."""
        backend = self.desktop.backend
        deadline = time.monotonic() + _DIALOG_SETTLE_LIMIT_S
        while (left := deadline - time.monotonic()) > 0 and backend.wait_for_change(min(_DIALOG_QUIET_S, left)):
            pass
        try:
            return is_visible(backend.refresh(dialog.ref))
        except NodeGone:
            return False

    def _grid(self, window: Node, box: Node | None, tables: list[Node]) -> Grid | None:
        if supports_tables(self.desktop.backend) and tables:
            largest = max(tables, key=lambda t: t.bounds.width * t.bounds.height if t.bounds else 0)
            return TableGrid(self.desktop, largest, window, box)
        if box is None:
            return None
        content = formula_entry(window, box)
        return NameBoxGrid(self.desktop, window, box, content) if content is not None else None

    def _read_back(self, grid: Grid, address: CellAddress, text: str) -> str:
        shown: list[str] = []

        def holds() -> str:
            # What the cell took, not how its format shows it: "3" typed into a currency cell holds 3.
            shown[:] = [grid.entered(address)]
            # A formula reads back as its result where the app exposes results (any result will do), or as
            # its text where it exposes only what was entered (then it must be what was typed).
            if shown[0] == text or (text.startswith("=") and _formula_taken(text, shown[0])):
                return shown[0]
            # "1,234.50" typed is taken as the number 1234.5 shown through the format the app gave it: the
            # cell holds what was typed when it shows exactly that.
            if may_be_formatted(shown[0]) and not text.startswith("="):
                single = CellRange(address.row, address.column, address.row, address.column)
                if grid.texts(single)[0][0] == text:
                    return text
            raise NoMatch(f"Cell {address} shows {shown[0]!r}.")

        def failed(last: LocatorError | None) -> Exception:
            return ActionFailed(
                f"Typed {text!r} into cell {address}, but the cell holds {shown[0] if shown else ''!r}.",
                hint="The app changed the value (AutoCorrect, AutoInput or a number format). "
                "Type it as the app stores it, or turn the correction off.",
            )

        return retry_until(self.desktop.backend, holds, timeout=min(self.timeout, 5.0), on_timeout=failed)


def _sheet_parts(window: Node, index: RoleIndex) -> tuple[Node | None, list[Node], tuple[Node, ...]]:
    """The window's Name Box (the first in document order), its shown tables and its shown sheet tabs; the
    subtrees holding none of their roles (the menu bars: half of an office window) are skipped."""
    box: Node | None = None
    tables: list[Node] = []
    tabs: list[Node] = []
    stack = [window]
    while stack:
        node = stack.pop()
        if node.role == "table" and is_visible(node):
            tables.append(node)
        elif node.role == "tab" and is_visible(node):
            tabs.append(node)
        elif box is None and is_name_box(node):
            box = node
        stack.extend(c for c in reversed(node.children) if not _PART_ROLES.isdisjoint(index.roles_below(c)))
    return box, tables, tuple(tabs)


def _formula_taken(typed: str, shown: str) -> bool:
    if shown.startswith("="):
        return "".join(shown.split()).casefold() == "".join(typed.split()).casefold()
    return shown != ""


def _selected_tab(tabs: tuple[Node, ...]) -> str | None:
    selected = [t.name.casefold() for t in tabs if State.SELECTED in t.states]
    return selected[0] if len(selected) == 1 else None
