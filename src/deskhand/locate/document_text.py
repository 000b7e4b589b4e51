"""The whole text of a long document, the way a person copies it: select all, take the text the app offers.

A word processor exposes only the paragraphs it has laid out near the view (Writer: a few dozen, made on
demand; the rest do not exist until scrolled to). A person who wants the whole text selects all and pastes:
the app offers the selection's text as X's PRIMARY selection in one answer, whatever the length. Paging
through the document instead costs a layout per screen.

The answer must prove itself: the app claimed the selection after Ctrl+A (so it is fresh), and every
paragraph the app lays out must be in it, in order. Then Ctrl+End ends the selection (a key typed next must
never replace the whole document), leaving the cursor at the end of the document. None: no such answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from deskhand.backends.selection import SelectionText, supports_selection_text
from deskhand.locate.view import DesktopView

_ANSWER_S = 5.0


def whole_text(desktop: DesktopView, document_ref: str, laid_out: Callable[[], list[str]]) -> str | None:
    """The document's whole text from its selection, or None; the document must have the keyboard focus."""
    backend = desktop.backend
    if not supports_selection_text(backend):
        return None
    offers = cast(SelectionText, backend)
    offers.claim_selection()
    backend.press("Ctrl+A")
    try:
        text = offers.selection_text(document_ref, min(desktop.timeout, _ANSWER_S))
    finally:
        backend.press("Ctrl+End")
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    return text if _in_order(laid_out(), text) else None


def _in_order(paragraphs: list[str], text: str) -> bool:
    at = 0
    for paragraph in (p for p in paragraphs if p.strip()):
        found = text.find(paragraph, at)
        if found < 0:
            return False
        at = found + len(paragraph)
    return True
