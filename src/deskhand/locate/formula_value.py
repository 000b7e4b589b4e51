"""A formula's value in a sheet that draws its cells without exposing them (Gnumeric), asked of its edit line.

Gnumeric's grid is not on the accessibility bus, and its edit line shows what a cell holds — for a formula,
the formula. The result is only drawn. A person who wants it in the edit line selects the expression and
presses F9: Gnumeric's edit line replaces a selected expression by its value (``=B2*2`` becomes ``=6``),
and Escape then leaves the cell as it was. Measured on Gnumeric 1.12: ~0.4–0.7 s a cell.

The value is the formula's result as Gnumeric evaluates it, not through the cell's number format
(``=B2/7`` reads ``0.42857142857142857144``); a text result is unquoted. The step fails, saying why, when
the edit line does not evaluate or does not show the formula again afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from deskhand.errors import ActionFailed, NoMatch
from deskhand.locate.view import DesktopView
from deskhand.locate.waiting import retry_until
from deskhand.tree.node import Node
from deskhand.tree.roles import State

_ESCAPED = re.compile(r"\\(.)")
T = TypeVar("T")


def formula_value(desktop: DesktopView, edit_line: Node, formula: str, where: str) -> str:
    """The value of the formula ``formula`` shown in ``edit_line`` for cell ``where``."""
    backend = desktop.backend

    def edit_line_is(wanted: bool) -> None:
        if (State.FOCUSED in backend.refresh(edit_line.ref).states) != wanted:
            raise NoMatch("The edit line has not taken the focus yet." if wanted else "The edit line keeps it.")

    def evaluated() -> str:
        text = backend.refresh(edit_line.ref).value or ""
        if text == formula or not text.startswith("="):
            raise NoMatch(f"The edit line shows {text!r}.")
        return text[1:]

    def restored() -> None:
        edit_line_is(False)
        if (backend.refresh(edit_line.ref).value or "") != formula:
            raise NoMatch("The edit line does not show the formula again yet.")

    def wait(check: Callable[[], T], failure: str) -> T:
        return retry_until(backend, check, timeout=desktop.timeout, on_timeout=lambda last: ActionFailed(failure))

    backend.focus(edit_line.ref)
    wait(lambda: edit_line_is(True), f"The edit line did not take the focus to evaluate cell {where}.")
    try:
        # The expression after "=" selected (the anchor at the end, the cursor moved past "="), then F9.
        for keys in ("End", "Shift+Home", "Shift+Right", "F9"):
            backend.press(keys)
        value = wait(evaluated, f"The edit line did not evaluate the formula {formula!r} of cell {where}.")
    finally:
        backend.press("Escape")
    wait(restored, f"After evaluating cell {where}, the edit line did not show its formula {formula!r} again.")
    return _unquoted(value)


def _unquoted(constant: str) -> str:
    """A text result comes as a string constant, quoted with backslash escapes: the text itself."""
    if len(constant) >= 2 and constant[0] == constant[-1] == '"':
        return _ESCAPED.sub(r"\1", constant[1:-1])
    return constant
