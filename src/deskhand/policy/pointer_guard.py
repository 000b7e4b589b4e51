"""Pointer and window actions, as the guard lets them through: judged like clicks, on what is on screen.

A drag is judged on both ends (the drop target must be in an allowed app too: dropping a file on another
app hands it data). Window control is judged on the window's app; closing a window through the window
manager is irreversible (``close``): the app may drop unsaved work without asking, and deskhand cannot see
that it will not, so it is asked for like a Send button unless the step is preapproved.
"""

from __future__ import annotations

from collections.abc import Callable

from deskhand.backends.base import Backend, MouseButton
from deskhand.backends.pointer_access import PointerAccess, WindowAccess, WindowOp
from deskhand.errors import BackendUnavailable, PolicyDenied, PolicyError
from deskhand.policy.intent_hook import IntentRecording
from deskhand.policy.rules import ActionKind, Decision, canonical_app, is_browser
from deskhand.policy.scrub import scrub_errors
from deskhand.policy.secrets import Redactor
from deskhand.policy.targets import Seen
from deskhand.tree.node import Bounds, Node


def unseen_drop(source: Seen, drop: Seen) -> Decision | None:
    """A refusal when dropping ``source`` on ``drop`` hands a browser something deskhand cannot judge: on the
    browser's own controls (tab strip, address bar) it goes to the text or address dragged, and a page given a
    drop from another app gets that app's file or text. A link dragged within its browser is judged by its
    href (destinations.py)."""
    if not is_browser(drop.app):
        return None
    if drop.in_web_page and canonical_app(source.app) == canonical_app(drop.app):
        return None
    link = source.node is not None and source.in_web_page and bool(source.node.attributes.get("href"))
    if not drop.in_web_page and link:
        return None
    what = "the browser's own controls" if not drop.in_web_page else f"a page, from {source.app}"
    return Decision(
        "deny",
        f"drag onto {drop.target().describe()} refused: dropping there ({what}) hands the browser what is "
        "dragged, an address or a file deskhand cannot judge before it goes",
        hint="Open pages with an Open step or the address bar; give files to a page with a Choose the file step.",
    )


class PointerGuard(IntentRecording):
    """The pointer-and-window half of :class:`~deskhand.policy.guard.GuardedBackend`."""

    inner: Backend
    _focused: str | None
    _enforce: Callable[..., Seen]
    _preflight: Callable[[], None]
    _refuse: Callable[[str, Seen, Decision, type[PolicyError]], None]

    @property
    def redactor(self) -> Redactor:
        raise NotImplementedError  # GuardedBackend's

    def _pointer(self) -> PointerAccess:
        if not isinstance(self.inner, PointerAccess):
            raise BackendUnavailable("This desktop has no pointer deskhand can move (no X display).")
        return self.inner

    def _windows(self) -> WindowAccess:
        if not isinstance(self.inner, WindowAccess):
            raise BackendUnavailable("This desktop's windows cannot be controlled (no X display).")
        return self.inner

    def read_pixels_too(self, app_ref: str | None, on: bool = True, *, timeout: float | None = None) -> None:
        """Let reads of ``app_ref`` include text OCR finds in its windows (reads are judged as ever)."""
        reader = getattr(self.inner, "read_pixels_too", None)
        if reader is not None:
            reader(app_ref, on, timeout=timeout)

    def read_views_too(self, app_ref: str, views: list[Node]) -> None:
        """Let reads of ``app_ref`` include what its drawn views show (OCR of their boxes; judged as ever)."""
        reader = getattr(self.inner, "read_views_too", None)
        if reader is not None:
            reader(app_ref, views)

    def contains_point(self, ref: str, x: int, y: int) -> bool:
        """base.PointCheck: a question about where an element is, nothing done (reads are judged as ever)."""
        ask = getattr(self.inner, "contains_point", None)
        if ask is None:
            raise BackendUnavailable("This desktop cannot say whether an element holds a point.")
        return bool(ask(ref, x, y))

    @scrub_errors
    def drag(self, from_ref: str, to_ref: str) -> None:
        source = self._enforce("drag", from_ref, value="drag from here")
        drop = self._enforce("drag", to_ref, value="drop here")
        refused = unseen_drop(source, drop)
        if refused is not None:
            self._refuse("drag", drop, refused, PolicyDenied)
        with self._sending():
            self._pointer().drag(from_ref, to_ref)

    @scrub_errors
    def click_at(self, ref: str, x: int, y: int, *, button: MouseButton = "left", count: int = 1) -> None:
        self._enforce("click", ref, value=f"{button} x{count} at {x}, {y}", offset=(x, y), button=button)
        self._focused = ref
        with self._sending():
            self._pointer().click_at(ref, x, y, button=button, count=count)

    @scrub_errors
    def window_bounds(self, window_ref: str) -> Bounds | None:
        self._preflight()
        return self._windows().window_bounds(window_ref)

    @scrub_errors
    def control_window(self, window_ref: str, op: WindowOp, bounds: Bounds | None = None) -> None:
        kind: ActionKind = "close_window" if op == "close" else "window"
        where = f" to {bounds.x}, {bounds.y} {bounds.width}x{bounds.height}" if bounds is not None else ""
        self._enforce(kind, window_ref, value=f"{op}{where}")
        with self._sending():
            self._windows().control_window(window_ref, op, bounds)
