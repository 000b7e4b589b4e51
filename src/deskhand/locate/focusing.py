"""Giving an element the keyboard focus, and knowing it took it before any key is sent."""

from __future__ import annotations

from deskhand.errors import ActionFailed, NotActionable
from deskhand.locate.view import DesktopView
from deskhand.locate.waiting import retry_until
from deskhand.tree.match import Match
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
