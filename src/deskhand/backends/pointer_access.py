"""Optional seams for what needs the pointer or the window manager rather than an element's own actions.

``PointerAccess``: drag from one element to another, click at a point inside an element, scroll by an
amount at an element. ``WindowAccess``: focus, raise, minimize, close, move and resize a window by its
``WindowInfo.ref``. The screen backend (X11) offers both for tree and screen-text elements alike; the
guard judges each like any input event.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from deskhand.backends.base import MouseButton
from deskhand.tree.node import Bounds

WindowOp = Literal["focus", "raise", "minimize", "close", "move", "resize"]
WINDOW_OPS: tuple[WindowOp, ...] = ("focus", "raise", "minimize", "close", "move", "resize")


@runtime_checkable
class PointerAccess(Protocol):
    def drag(self, from_ref: str, to_ref: str) -> None:
        """Press on ``from_ref``'s middle, move with the button held, release on ``to_ref``'s middle."""
        ...

    def click_at(self, ref: str, x: int, y: int, *, button: MouseButton = "left", count: int = 1) -> None:
        """Click ``x``, ``y`` pixels from the element's top-left corner (inside it)."""
        ...


@runtime_checkable
class WindowAccess(Protocol):
    def window_bounds(self, window_ref: str) -> Bounds | None:
        """Where the window is now, as X geometry gives it (border corner, content size); None: minimized."""
        ...

    def control_window(self, window_ref: str, op: WindowOp, bounds: Bounds | None = None) -> None:
        """Carry out ``op``; ``bounds`` is the new place (move: x, y; resize: width, height)."""
        ...
