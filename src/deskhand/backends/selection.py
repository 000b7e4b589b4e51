"""An optional seam for the text an app offers for its current selection (X11's PRIMARY selection).

A spreadsheet offers the shown text of a selected range there in one answer, where its accessibility tree
makes one object per cell (10,000 cells: ~0.1 s against ~2–6 s). Callers use it as a shortcut they verify,
never as the only source: the backend returns None whenever it has no fresh answer.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class SelectionText(Protocol):
    def claim_selection(self) -> None:
        """Mark now: the next answer is from a client that claims the selection after now (deskhand does not
        own it: an app claims it with its own event's time, which the X server refuses when older than a
        claim of deskhand's — measured with Calc)."""
        ...

    def selection_text(self, ref: str, timeout: float) -> str | None:
        """The text another client offers for its selection made since ``claim_selection`` — the content of
        element ``ref`` (for the policy's read check) — or None when no client claimed it in ``timeout``."""
        ...


def supports_selection_text(backend: object) -> bool:
    return isinstance(backend, SelectionText)
