"""The person's real pointer presses, seen through the X RECORD extension (python-xlib).

AT-SPI says nothing when a button is pressed (GTK3 sends no event for a click), so a click is taken from
the X server's own record of the button going down, at the point where it went down."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deskhand.errors import BackendUnavailable


@dataclass(frozen=True, slots=True)
class Press:
    """A pointer button went down at screen point (x, y)."""

    x: int
    y: int
    button: int


class PointerPresses:
    """Hands every button press on ``display`` to ``on_press`` (from its own thread) until closed."""

    def __init__(self, display: str, on_press: Callable[[Press], None]) -> None:
        try:
            from Xlib import X
            from Xlib import display as xdisplay
            from Xlib.ext import record
        except ImportError as error:  # pragma: no cover - python-xlib is a hard dependency
            raise BackendUnavailable(f"python-xlib is missing: {error}") from None
        self._X, self._record = X, record
        try:
            self._control: Any = xdisplay.Display(display)
            self._data: Any = xdisplay.Display(display)
        except Exception as error:
            raise BackendUnavailable(f"Cannot open X display {display!r} to watch clicks: {error}") from None
        if not self._control.has_extension("RECORD"):
            raise BackendUnavailable(f"X display {display!r} has no RECORD extension: clicks cannot be seen.")
        self._on_press = on_press
        self._context = self._control.record_create_context(
            0,
            [record.AllClients],
            [
                {
                    "core_requests": (0, 0),
                    "core_replies": (0, 0),
                    "ext_requests": (0, 0, 0, 0),
                    "ext_replies": (0, 0, 0, 0),
                    "delivered_events": (0, 0),
                    "device_events": (X.ButtonPress, X.ButtonPress),
                    "errors": (0, 0),
                    "client_started": False,
                    "client_died": False,
                }
            ],
        )
        # The context must exist on the server before the other connection enables it.
        self._control.sync()
        self._thread = threading.Thread(target=self._run, name="deskhand-record-x", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from Xlib.protocol import rq

        def handle(reply: Any) -> None:
            if reply.category != self._record.FromServer or reply.client_swapped or not reply.data:
                return
            data = reply.data
            while data:
                event, data = rq.EventField(None).parse_binary_value(data, self._data.display, None, None)
                if event.type == self._X.ButtonPress and event.detail in (1, 2, 3):
                    self._on_press(Press(event.root_x, event.root_y, event.detail))

        # Blocks until the context is disabled from the other connection.
        self._data.record_enable_context(self._context, handle)
        self._data.record_free_context(self._context)

    def close(self) -> None:
        self._control.record_disable_context(self._context)
        self._control.flush()
        self._thread.join(timeout=2.0)
        self._control.close()
