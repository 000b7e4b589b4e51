"""`Read "<label>"` and `Expect "<label>" to show …` judge the value the label names, not the label.

A target that resolved to a label (static text, a column header) stands for the value beside it
(``locate.value_of``); anything else (a field, an output, a status) is read as it is.
"""

from __future__ import annotations

from deskhand.errors import LocatorError, NoMatch
from deskhand.locate.expect import ExpectationFailed
from deskhand.locate.locator import Locator, Resolved
from deskhand.locate.value_of import LABEL_LIKE, value_beside
from deskhand.locate.waiting import retry_until
from deskhand.tree.match import describe, nearest
from deskhand.tree.selector import Selector


def value_text(target: Locator, resolved: Resolved, said: str) -> str:
    """What the element ``said`` names shows now: its own value, or the value its label stands beside."""
    if resolved.node.role not in LABEL_LIKE:
        return target.text()
    backend = target.desktop.backend
    root = backend.snapshot(resolved.app.ref)
    value = value_beside(root, resolved.node, resolved.match.ancestors)
    if value is None:
        raise NoMatch(
            f"{said!r} is a label with no value beside it (nothing it labels, no cell under it, nothing to its "
            "right or just below).",
            candidates=nearest(root, Selector(text=said), k=5),
        )
    node = backend.refresh(value.ref)
    return node.value if node.value is not None else node.name


def expect_value(target: Locator, resolved: Resolved, said: str, text: str, *, exact: bool, timeout: float) -> None:
    """Wait until the value ``said`` names shows ``text`` (exactly, or containing it)."""

    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()

    def attempt() -> None:
        shown = value_text(target, resolved, said)
        if not (shown == text if exact else norm(text) in norm(shown)):
            raise NoMatch(f"Expected {said!r} to show {text!r}; it shows {shown!r}.")

    def on_timeout(last: LocatorError | None) -> Exception:
        return ExpectationFailed(
            last.message if last is not None else f"Expected {describe(resolved.node)} to show {text!r}."
        )

    retry_until(target.desktop.backend, attempt, timeout=timeout, on_timeout=on_timeout)
