"""Tables whose cells are made on demand (backends.tables), as the guard passes them: reads judged like any
read, a cell focused judged like a focus, a cell read as shown judged as a read and its mark as a focus, a
sheet tab chosen like a click."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from deskhand.backends.base import Backend
from deskhand.backends.tables import TableAccess
from deskhand.policy.kept_finds import KeptFinds
from deskhand.policy.scrub import scrub_errors
from deskhand.policy.secrets import Redactor
from deskhand.policy.targets import Seen, see_kept


class GuardedTables:
    """The tables part of :class:`~deskhand.policy.guard.GuardedBackend` (it supplies what is declared here)."""

    inner: Backend
    _focused: str | None
    _finds: KeptFinds
    _check_read: Callable[[Seen], None]
    _enforce: Callable[..., Seen]
    _stop_check: Callable[[], None]

    @property
    def redactor(self) -> Redactor:
        raise NotImplementedError  # GuardedBackend's

    @scrub_errors
    def table_size(self, ref: str) -> tuple[int, int]:
        self._stop_check()
        self._check_read(see_kept(self.inner, ref, self._finds))
        return cast(TableAccess, self.inner).table_size(ref)

    @scrub_errors
    def table_texts(self, ref: str, rows: range, columns: range) -> list[list[str]]:
        self._stop_check()
        self._check_read(see_kept(self.inner, ref, self._finds))
        texts = cast(TableAccess, self.inner).table_texts(ref, rows, columns)
        redact = self.redactor
        return [[redact(text) for text in row] for row in texts] if redact.values else texts

    @scrub_errors
    def kept_cells(self, ref: str, rows: range, columns: range) -> list[tuple[int, int]]:
        self._stop_check()
        self._check_read(see_kept(self.inner, ref, self._finds))
        return cast(TableAccess, self.inner).kept_cells(ref, rows, columns)

    @scrub_errors
    def focus_cell(self, ref: str, row: int, column: int) -> None:
        self._enforce("focus", ref, value=f"row {row + 1}, column {column + 1}")
        self._focused = ref
        cast(TableAccess, self.inner).focus_cell(ref, row, column)

    @scrub_errors
    def cell_as_shown(
        self, ref: str, cell: tuple[int, int], shown_may_differ: Callable[[str], bool], timeout: float
    ) -> tuple[str, str | None]:
        """One guarded call: judged as a read of the table, and — only where the cell is then marked — the
        mark judged like a focus (it changes what is selected, not what the cells hold) before it is made."""
        self._stop_check()
        self._check_read(see_kept(self.inner, ref, self._finds))
        where = f"row {cell[0] + 1}, column {cell[1] + 1}"

        def judged(entered: str) -> bool:
            # The caller decides on the text it would be given: a secret's value is its placeholder there.
            if not shown_may_differ(self.redactor(entered)):
                return False
            self._enforce("focus", ref, value=f"mark {where} alone to read it as shown")
            return True

        entered, shown = cast(TableAccess, self.inner).cell_as_shown(ref, cell, judged, timeout)
        redact = self.redactor
        if not redact.values:
            return entered, shown
        return redact(entered), None if shown is None else redact(shown)

    @scrub_errors
    def select_tab(self, ref: str) -> None:
        self._enforce("click", ref)
        cast(TableAccess, self.inner).select_tab(ref)
