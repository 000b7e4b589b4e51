"""The pointer through XTest (python-xlib): clicks at a point, scroll wheels, and drags.

Its own X connection (the AT-SPI backend keeps its keyboard one): a drag holds the button over several
motion events, which must not interleave with another thread's input.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from deskhand.backends.x11.display import open_display
from deskhand.errors import BackendUnavailable

_BUTTONS = {"left": 1, "middle": 2, "right": 3}
_SCROLL_BUTTONS = {"up": 4, "down": 5, "left": 6, "right": 7}
# A drag moves in this many steps: toolkits start a drag only after the pointer passes a threshold (GTK's
# is 8 px) with the button held, and a drop needs motion over the target to know where it is.
_DRAG_STEPS = 12
# Between motion events of a drag: toolkits read the pointer on their own loop's turn; events faster than
# that are merged and a drag-and-drop may never see the pointer over its target (an input pace, not a wait).
_DRAG_PACE_S = 0.015


class XPointer:
    def __init__(self, display: str) -> None:
        self._display: Any = open_display(display)
        from Xlib import X
        from Xlib.ext import xtest

        if not self._display.has_extension("XTEST"):
            raise BackendUnavailable(f"X display {display!r} has no XTEST extension; cannot move the pointer.")
        self._X: Any = X
        self._xtest: Any = xtest
        self._lock = threading.Lock()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._display.close()

    def _move(self, x: int, y: int) -> None:
        self._xtest.fake_input(self._display, self._X.MotionNotify, x=x, y=y)

    def click(self, x: int, y: int, *, button: str = "left", count: int = 1) -> None:
        number = _BUTTONS[button]
        with self._lock:
            self._move(x, y)
            for _ in range(count):
                self._xtest.fake_input(self._display, self._X.ButtonPress, number)
                self._xtest.fake_input(self._display, self._X.ButtonRelease, number)
            self._display.sync()

    def scroll(self, x: int, y: int, direction: str, amount: int) -> None:
        number = _SCROLL_BUTTONS[direction]
        with self._lock:
            self._move(x, y)
            for _ in range(amount):
                self._xtest.fake_input(self._display, self._X.ButtonPress, number)
                self._xtest.fake_input(self._display, self._X.ButtonRelease, number)
            self._display.sync()

    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        """Press at ``start``, move to ``end`` in steps with the button held, release there."""
        (x1, y1), (x2, y2) = start, end
        with self._lock:
            try:
                self._move(x1, y1)
                self._xtest.fake_input(self._display, self._X.ButtonPress, 1)
                self._display.sync()
                for step in range(1, _DRAG_STEPS + 1):
                    time.sleep(_DRAG_PACE_S)
                    self._move(x1 + (x2 - x1) * step // _DRAG_STEPS, y1 + (y2 - y1) * step // _DRAG_STEPS)
                    self._display.sync()
            finally:
                self._xtest.fake_input(self._display, self._X.ButtonRelease, 1)
                self._display.sync()
