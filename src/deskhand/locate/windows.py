"""Window control for people and programs: ``desk.windows("Notes").minimize()``, each effect read back from
the window system (moved to the place asked, minimized = no longer shown, focused = active, closed = gone).

Moves and resizes are in X geometry terms (``-geometry WxH+X+Y``, xwininfo): the border's corner, the
content's size.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from deskhand.backends.base import WindowInfo
from deskhand.backends.pointer_access import PointerAccess, WindowAccess, WindowOp
from deskhand.errors import ActionFailed, AppNotFound, BackendUnavailable
from deskhand.locate.view import DesktopView
from deskhand.tree.node import Bounds


def pointer_of(desktop: DesktopView) -> PointerAccess:
    backend = desktop.backend
    if not isinstance(backend, PointerAccess):
        raise BackendUnavailable("This desktop has no pointer deskhand can move (no X display).")
    return backend


def windows_of(desktop: DesktopView) -> WindowAccess:
    backend = desktop.backend
    if not isinstance(backend, WindowAccess):
        raise BackendUnavailable("This desktop's windows cannot be controlled (no X display).")
    return backend


@dataclass(frozen=True)
class WindowHandle:
    """A window named by (part of) its title, found afresh for every call."""

    desktop: DesktopView
    title: str
    timeout: float = 10.0

    def info(self) -> WindowInfo:
        deadline = time.monotonic() + self.timeout
        while (app := self.desktop.find_app(self.title)) is None or not app.windows:
            if time.monotonic() >= deadline:
                raise AppNotFound(self.title, [a.name for a in self.desktop.apps()])
            self.desktop.backend.wait_for_change(0.1)
        wanted = self.title.casefold()
        window = next((w for w in app.windows if wanted in w.title.casefold()), None)
        if window is None:
            raise ActionFailed(f"{app.name!r} has no window titled {self.title!r}.", hint="Check the title on screen.")
        return window

    def bounds(self) -> Bounds | None:
        return windows_of(self.desktop).window_bounds(self.info().ref)

    def focus(self) -> None:
        self._do("focus")

    def raise_(self) -> None:
        self._do("raise")

    def minimize(self) -> None:
        self._do("minimize")

    def close(self) -> None:
        self._do("close")

    def move(self, x: int, y: int) -> None:
        self._do("move", x, y)

    def resize(self, width: int, height: int) -> None:
        self._do("resize", width, height)

    def _do(self, op: WindowOp, a: int = 0, b: int = 0) -> None:
        window = self.info()
        control = windows_of(self.desktop)
        wanted = None
        if op in ("move", "resize"):
            now = control.window_bounds(window.ref)
            if now is None:
                raise ActionFailed(f"The window {window.title!r} is minimized: focus it before moving it.")
            wanted = Bounds(a, b, now.width, now.height) if op == "move" else Bounds(now.x, now.y, a, b)
        control.control_window(window.ref, op, wanted)
        self._read_back(window, op, wanted)

    def _read_back(self, window: WindowInfo, op: WindowOp, wanted: Bounds | None) -> None:
        control = windows_of(self.desktop)
        deadline = time.monotonic() + self.timeout
        while True:
            if op == "close":
                if not any(w.ref == window.ref for app in self.desktop.apps() for w in app.windows):
                    return
                seen = control.window_bounds(window.ref) if self._exists(window) else None
            else:
                seen = control.window_bounds(window.ref)
                if (op == "minimize" and seen is None) or (op in ("move", "resize") and seen == wanted):
                    return
                if op == "raise" and seen is not None:
                    return
                if op == "focus" and seen is not None and self._active(window):
                    return
            if time.monotonic() >= deadline:
                raise ActionFailed(
                    f"Asked to {op} the window {window.title!r}, but it is {_where(seen)}.",
                    hint="The app may be asking whether to save changes, or a window manager refused or adjusted "
                    "the request (size hints, a fixed-size dialog).",
                )
            self.desktop.backend.wait_for_change(0.05)

    def _exists(self, window: WindowInfo) -> bool:
        return any(w.ref == window.ref for app in self.desktop.apps() for w in app.windows)

    def _active(self, window: WindowInfo) -> bool:
        return any(w.ref == window.ref and w.active for app in self.desktop.apps() for w in app.windows)


def _where(bounds: Bounds | None) -> str:
    if bounds is None:
        return "not shown (minimized or gone)"
    return f"at {bounds.x}, {bounds.y}, {bounds.width}x{bounds.height}"
