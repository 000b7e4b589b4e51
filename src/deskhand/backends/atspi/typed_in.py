"""Typed keys taken in: until a field shows the typed text with no suggestion selected in it.

XTest keys reach the app after the call that sent them returns, and the app reads them at its own pace
(measured: Chromium's address bar ~40 ms a key on a loaded machine). A field that completes what is typed
(Chromium's and Firefox's address bars) shows a whole address before its last keys arrive, the rest selected
as a suggestion: typing "http://127.0.0.1:8000/records" into a bar that knows ".../new" showed ".../new"
first, then "http://127.0.0.0" (the canonical form of "http://127.0.0." completed), then the address. The
text alone is no proof that the typing is over; the text with nothing selected in it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.typing_wait import wait_typed_in
from deskhand.errors import BackendError

Call = Callable[[str, str, str, list[object]], list[Any]]


def shown(call: Call, text_end: int) -> tuple[str, bool]:
    """The field's text, and whether any of it is selected."""
    (held,) = call(c.I_TEXT, "GetText", "ii", [0, text_end])
    (count,) = call(c.I_TEXT, "GetNSelections", "", [])
    selected = False
    for index in range(int(count)):
        start, end = call(c.I_TEXT, "GetSelection", "i", [index])
        selected = selected or int(start) != int(end)
    return str(held), selected


def wait_typed_text(
    call: Call, text_end: int, wait_for_change: Callable[[float], object], text: str, secret: bool
) -> None:
    """``wait_typed_in`` for a field read over ``call``; a password field by its length (it reads as bullets).
    A field with no Text to read is left to the caller's read-back."""
    try:
        wait_typed_in(
            lambda: shown(call, text_end),
            wait_for_change,
            lambda held: len(held) == len(text) if secret else held == text,
        )
    except BackendError:
        return
