"""Untargeted keys (a `Type` with no field, a `Press`) sent to an element holding the focus, and typed text
taken in by the field before the next step acts.

Keys go to whatever holds the keyboard focus when the app reads them. Right after a window is switched to or
a dialog closes, the app has not yet given any element the focus (mousepad reported its text view focused
~100 ms after `Switch to` returned; Calc ~110 ms after a dialog closed): keys sent then are lost, or some go
astray. And keys go out by X, read by the app at its own pace, after the call that sent them returned: a
next step acting by D-Bus at once (opening a menu) can overtake them. A person waits to see the caret, and
the text appear; so does the step, within a bound, and only for the current app's own signals. An app that
never reported a focused element in the run (one whose toolkit does not say) costs that bound once, not on
every key step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from deskhand.backends.base import Backend
from deskhand.backends.typing_wait import wait_typed_in
from deskhand.errors import DeskhandError
from deskhand.locate.focusing import FOCUS_WAIT_S, focused_of, wait_for_focus
from deskhand.tree.node import Node
from deskhand.tree.roles import State


@dataclass
class FocusHistory:
    """Which apps reported a focused element during the run, and which waited out a whole bound without
    ever reporting one: the latter are only looked at once per key step from then on (the bound would buy
    nothing), until they do report one."""

    reported: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    limit: float = FOCUS_WAIT_S

    def focused(self, backend: Backend, app_name: str | None) -> Node | None:
        if app_name is None:
            return None
        if app_name in self.silent:
            found = focused_of(backend, app_name)
        else:
            found = wait_for_focus(backend, app_name, self.limit)
        if found is not None:
            self.reported.add(app_name)
            self.silent.discard(app_name)
        elif app_name not in self.reported:
            self.silent.add(app_name)
        return found


def press_to_focus(backend: Backend, app_name: str | None, send: Callable[[], None], seen: FocusHistory) -> None:
    seen.focused(backend, app_name)
    send()


def type_and_wait_taken(
    backend: Backend, app_name: str | None, typed: str, send: Callable[[], None], seen: FocusHistory
) -> None:
    """``send()`` the keys once the app has a focused element, then wait for that element to show them where
    it is a field to watch: editable, not secret, and text with no Tab or Enter (a Tab moves the focus, a
    one-line field acts on an Enter). It shows them once more than before the keys (inserted at the caret, or
    over a selection); a field that reformats or refuses them ends the wait by no longer changing
    (``wait_typed_in``): the step claims only that the keys were sent, later steps judge the effect."""
    field = seen.focused(backend, app_name)
    watchable = field is not None and State.EDITABLE in field.states and State.PASSWORD not in field.states
    wanted = 0
    if field is not None and watchable and typed and "\t" not in typed and "\n" not in typed:
        try:
            wanted = (backend.refresh(field.ref).value or "").count(typed) + 1
        except DeskhandError:
            wanted = 0  # the field went before the keys: send them as asked, nothing to watch
    send()
    if field is None or not wanted:
        return
    try:
        wait_typed_in(
            lambda: (backend.refresh(field.ref).value or "", False),
            backend.wait_for_change,
            lambda held: held.count(typed) >= wanted,
        )
    except DeskhandError:
        return  # the field went (the keys closed its window): nothing left to wait for
