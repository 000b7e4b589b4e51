"""The display's top-level X windows as the screen backend sees them: listed (kept a moment while the stacking
order is unchanged), found by id or by an accessible window's title, grouped into apps of their own where
no accessibility tree covers them, and controlled for the window seam (:mod:`deskhand.backends.pointer_access`).
"""

from __future__ import annotations

import time

from deskhand.backends.base import AppInfo, WindowInfo
from deskhand.backends.pointer_access import WindowOp
from deskhand.backends.screen.tree import ScreenRef
from deskhand.backends.x11.windows import XWindow, XWindows
from deskhand.errors import BackendUnavailable, NodeGone
from deskhand.tree.node import Bounds
from deskhand.tree.roles import Role

TOOLKIT = "none (read from the screen)"
# The X window list is reused while the stacking order is unchanged, at most this long (titles may change).
_WINDOWS_TTL_S = 1.0
# A window is an app of its own (no tree) only once its process has had this long to join the accessibility
# bus: GTK and Qt apps map their window before they register there, and leave the bus before it goes.
REGISTER_GRACE_S = 2.0


class ScreenWindows:
    """The top-level windows of one X display, over one X connection made at first use."""

    def __init__(self, display: str) -> None:
        self.display = display
        self._x: XWindows | None = None
        self._listed: tuple[float, list[XWindow]] | None = None
        self._first_seen: dict[int, float] = {}  # X window → when it was first listed

    @property
    def x(self) -> XWindows:
        if not self.display:
            raise BackendUnavailable("No X display: windows without accessibility cannot be read or controlled.")
        if self._x is None:
            self._x = XWindows(self.display)
        return self._x

    def toplevels(self) -> list[XWindow]:
        now = time.monotonic()
        if self._listed is not None and now - self._listed[0] < _WINDOWS_TTL_S:
            return self._listed[1]
        windows = self.x.toplevels()
        self._listed = (now, windows)
        return windows

    def forget(self) -> None:
        """The next look lists the windows afresh."""
        self._listed = None

    def without_tree(self, tree_pids: set[int]) -> list[AppInfo]:
        """The windows of processes never seen on the accessibility bus, as apps (one per WM_CLASS and pid)."""
        grouped: dict[tuple[str, int], list[XWindow]] = {}
        now = time.monotonic()
        windows = self.toplevels()
        self._first_seen = {w.id: self._first_seen.get(w.id, now) for w in windows}
        for window in windows:
            # A process ever seen on the accessibility bus has a tree (a closing app leaves the bus before its
            # window goes); a new window waits out the time an app takes to register there.
            if window.pid in tree_pids or (not window.title and not window.instance):
                continue
            if now - self._first_seen[window.id] < REGISTER_GRACE_S:
                continue
            grouped.setdefault((window.app_name, window.pid), []).append(window)
        return [
            AppInfo(
                ref=str(ScreenRef("app", pid, app=name)),
                name=name,
                pid=pid,
                toolkit=TOOLKIT,
                windows=tuple(
                    WindowInfo(str(ScreenRef("window", w.id)), w.title, Role.WINDOW, w.bounds, w.focused)
                    for w in windows
                ),
            )
            for (name, pid), windows in grouped.items()
        ]

    def of_app(self, ref: ScreenRef) -> list[XWindow]:
        """The windows of a screen app (its ref holds the pid and the app's name)."""
        return [w for w in self.toplevels() if w.pid == ref.window and w.app_name == ref.app]

    def by_id(self, window_id: int) -> XWindow:
        self.forget()
        for window in self.toplevels():
            if window.id == window_id:
                return window
        raise NodeGone(f"The window {window_id:#x} is gone.")

    def by_title(self, pid: int, title: str) -> int:
        """The X window of an accessible window: its title, of its process where two share one."""
        self.forget()
        same_title = [w for w in self.toplevels() if w.title == title]
        found = [w for w in same_title if w.pid == pid] or same_title
        if found:
            return found[-1].id
        raise NodeGone(f"The window {title!r} has no X window on this display.")

    def activate(self, window_id: int) -> None:
        """The window takes the keyboard (no window manager focuses on a click on deskhand's desktops)."""
        self.x.activate(window_id)
        self.forget()

    def control(self, window_id: int, op: WindowOp, bounds: Bounds | None = None) -> None:
        if op == "focus":
            self.x.activate(window_id)
        elif op == "raise":
            self.x.raise_window(window_id)
        elif op == "minimize":
            self.x.minimize(window_id)
        elif op == "close":
            self.x.close_window(window_id)
        else:
            assert bounds is not None
            self.x.move_resize(window_id, bounds)
        self.forget()

    def close(self) -> None:
        if self._x is not None:
            self._x.close()
