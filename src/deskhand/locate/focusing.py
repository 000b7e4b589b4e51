"""Giving an element the keyboard focus, and knowing it took it before any key is sent."""

from __future__ import annotations

import time

from deskhand.backends.base import Backend
from deskhand.errors import ActionFailed, DeskhandError, NotActionable
from deskhand.locate.view import DesktopView
from deskhand.locate.waiting import retry_until
from deskhand.tree.focus import focused_in
from deskhand.tree.match import Match
from deskhand.tree.node import Node
from deskhand.tree.roles import State


def take_focus(desktop: DesktopView, match: Match, described: str, timeout: float) -> None:
    """Focus the element and return once the app reports it holds the focus. Keys sent before then reach
    whatever held it: under sway a new window gets the focus only once it is mapped, after its widgets
    are on the bus (a whole form's typing was lost, seen in CI). Where the element's window is not the
    active one it is activated first, as a person clicks into it. An element that cannot hold the focus
    (not FOCUSABLE) is only asked for it."""
    backend = desktop.backend
    if State.FOCUSABLE not in match.node.states:
        backend.focus(match.ref)
        return
    window = match.window
    if window is not None and State.ACTIVE not in backend.refresh(window.ref).states:
        backend.activate_window(window.ref)
    backend.focus(match.ref)

    def holds() -> None:
        if State.FOCUSED not in backend.refresh(match.ref).states:
            raise NotActionable(f"{described} has not taken the keyboard focus yet.")

    retry_until(
        backend,
        holds,
        timeout=timeout,
        on_timeout=lambda last: ActionFailed(
            f"{described} did not take the keyboard focus within {timeout:g} s; keys sent now would reach "
            "another element.",
            hint="Close any dialog or menu over its window, or click the element first.",
        ),
    )


# How long keys wait for the app to give an element the focus. An app that reports no focus at all (some
# toolkits, a desktop with no accessibility for it) only costs this, then gets the keys as before.
FOCUS_WAIT_S = 2.0


def focused_of(backend: Backend, app_name: str) -> Node | None:
    """The element holding the keyboard focus in ``app_name``'s windows, if it reports one."""
    try:
        app = next((a for a in backend.applications() if a.name == app_name), None)
        found = focused_in(backend.snapshot(app.ref)) if app is not None else None
    except DeskhandError:
        return None  # the app went or answers nothing: there is nothing to wait for
    return found[0] if found is not None else None


def wait_for_focus(backend: Backend, app_name: str | None, limit: float = FOCUS_WAIT_S) -> Node | None:
    """The focused element of ``app_name`` once there is one (woken by the app's events), or None after
    ``limit`` or with no current app."""
    if app_name is None:
        return None
    deadline = time.monotonic() + limit
    while True:
        focused = focused_of(backend, app_name)
        if focused is not None or time.monotonic() >= deadline:
            return focused
        backend.wait_for_change(min(0.05, max(deadline - time.monotonic(), 0.0)))


def wait_for_app_focus(backend: Backend, window: Node, limit: float = FOCUS_WAIT_S) -> None:
    """Before moving the keyboard focus in ``window``'s app, let the app place its own first: an app just
    opened gives an element the focus a moment after its widgets are on the bus (Gnumeric: 0.04-0.5 s after
    its Name Box could be found), and that takes the focus back from one deskhand gave meanwhile (the Name
    Box's Enter then reached the sheet)."""
    try:
        app = next((a for a in backend.applications() if any(w.ref == window.ref for w in a.windows)), None)
    except DeskhandError:
        return
    if app is not None:
        wait_for_focus(backend, app.name, limit)
