"""Untargeted keys (a `Type` with no field, a `Press`) sent to an element holding the focus, and typed text
taken in by the field before the next step acts.

Keys go to whatever holds the keyboard focus when the app reads them. Right after a window is switched to or
a dialog closes, the app has not yet given any element the focus (mousepad reported its text view focused
~100 ms after `Switch to` returned; Calc ~110 ms after a dialog closed): keys sent then are lost, or some go
astray. And keys go out by X, read by the app at its own pace, after the call that sent them returned: a
next step acting by D-Bus at once (opening a menu) can overtake them. A person waits to see the caret, and
the text appear; so does the step, within a bound, and only for the current app's own signals.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from deskhand.backends.base import Backend
from deskhand.errors import DeskhandError
from deskhand.locate.focusing import wait_for_focus
from deskhand.tree.node import Node
from deskhand.tree.roles import State

# Give up once the field has shown the same text this long: it took what it will (a field that reformats
# or refuses keys); the step claims only that the keys were sent, and later steps judge the effect.
STALL_S = 3.0


def press_to_focus(backend: Backend, app_name: str | None, send: Callable[[], None]) -> None:
    wait_for_focus(backend, app_name)
    send()


def type_and_wait_taken(backend: Backend, app_name: str | None, typed: str, send: Callable[[], None]) -> None:
    """``send()`` the keys once the app has a focused element, then wait for that element to show them where
    it is a field to watch: editable, not secret, and text with no Tab or Enter (a Tab moves the focus, a
    one-line field acts on an Enter)."""
    field = wait_for_focus(backend, app_name)
    watchable = field is not None and State.EDITABLE in field.states and State.PASSWORD not in field.states
    if not typed or "\t" in typed or "\n" in typed:
        watchable = False
    before = ""
    if field is not None and watchable:
        try:
            before = backend.refresh(field.ref).value or ""
        except DeskhandError:
            watchable = False
    send()
    if field is not None and watchable:
        wait_taken(backend, field, before, typed)


def wait_taken(backend: Backend, field: Node, before: str, typed: str) -> None:
    """Until the field shows ``typed`` once more than it did before the keys (inserted at the caret, or over
    a selection), or its text stops changing for ``STALL_S``."""
    wanted = before.count(typed) + 1
    last, since = before, time.monotonic()
    while True:
        try:
            now = backend.refresh(field.ref).value or ""
        except DeskhandError:
            return  # the field went (the keys closed its window): nothing left to wait for
        if now.count(typed) >= wanted:
            return
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > STALL_S:
            return
        backend.wait_for_change(0.02)
