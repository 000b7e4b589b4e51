"""Tables whose cells are made on demand (backends.tables), as the guard passes them: reads judged like any
read, a cell focused judged like a focus, a sheet tab chosen like a click."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from deskhand.backends.base import Backend
from deskhand.backends.tables import TableAccess
from deskhand.policy.scrub import scrub_errors
from deskhand.policy.secrets import Redactor
from deskhand.policy.targets import Seen, see_kept


class GuardedTables:
    """The tables part of :class:`~deskhand.policy.guard.GuardedBackend` (it supplies what is declared here)."""

    inner: Backend
    _focused: str | None
    _check_read: Callable[[Seen], None]
    _enforce: Callable[..., Seen]
    _stop_check: Callable[[], None]

    @property
    def redactor(self) -> Redactor:
        raise NotImplementedError  # GuardedBackend's

    @scrub_errors
    def table_size(self, ref: str) -> tuple[int, int]:
        self._stop_check()
        self._check_read(see_kept(self.inner, ref))
        return cast(TableAccess, self.inner).table_size(ref)

    @scrub_errors
    def table_texts(self, ref: str, rows: range, columns: range) -> list[list[str]]:
        self._stop_check()
        self._check_read(see_kept(self.inner, ref))
        texts = cast(TableAccess, self.inner).table_texts(ref, rows, columns)
        redact = self.redactor
        return [[redact(text) for text in row] for row in texts] if redact.values else texts

    @scrub_errors
    def focus_cell(self, ref: str, row: int, column: int) -> None:
        self._enforce("focus", ref, value=f"row {row + 1}, column {column + 1}")
        self._focused = ref
        cast(TableAccess, self.inner).focus_cell(ref, row, column)

    @scrub_errors
    def mark_cell(self, ref: str, cell: tuple[int, int] | None) -> None:
        """Marking cells changes what is selected, not what the cells hold: judged like a focus."""
        marked = "no cell" if cell is None else f"row {cell[0] + 1}, column {cell[1] + 1}"
        self._enforce("focus", ref, value=f"mark {marked}")
        cast(TableAccess, self.inner).mark_cell(ref, cell)

    @scrub_errors
    def select_tab(self, ref: str) -> None:
        self._enforce("click", ref)
        cast(TableAccess, self.inner).select_tab(ref)
