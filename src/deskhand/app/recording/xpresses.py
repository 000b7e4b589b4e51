"""The person's real pointer presses and keys, seen through the X RECORD extension (python-xlib).

AT-SPI says nothing when a button is pressed (GTK3 sends no event for a click), so a click is taken from
the X server's own record of the button going down, at the point where it went down; a key from the key
going down, with the modifiers held at that moment (chords, Enter on a focused button)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deskhand.errors import BackendUnavailable


@dataclass(frozen=True, slots=True)
class Press:
    """A pointer button went down at screen point (x, y), at the X server's ``time`` (ms)."""

    x: int
    y: int
    button: int
    time: int = 0


@dataclass(frozen=True, slots=True)
class Key:
    """A key went down: its keysym name (``Return``, ``s``, ``F5``) and the modifiers held with it."""

    name: str
    modifiers: frozenset[str]


# X modifier mask bits a chord is written with (Mod1 = Alt, Mod4 = Super on every common layout).
_MASKS = ((1, "shift"), (4, "ctrl"), (8, "alt"), (64, "super"))


class PointerPresses:
    """Hands every button press on ``display`` to ``on_press`` (from its own thread) until closed."""

    def __init__(
        self, display: str, on_press: Callable[[Press], None], on_key: Callable[[Key], None] = lambda key: None
    ) -> None:
        try:
            from Xlib import XK, X
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
        self._on_key = on_key
        self._keysyms = self._keysym_names(XK)
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
                    "device_events": (X.KeyPress, X.ButtonPress),
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
                    self._on_press(Press(event.root_x, event.root_y, event.detail, event.time))
                elif event.type == self._X.KeyPress and event.detail in self._keysyms:
                    held = frozenset(name for bit, name in _MASKS if event.state & bit)
                    self._on_key(Key(self._keysyms[event.detail], held))

        # Blocks until the context is disabled from the other connection.
        self._data.record_enable_context(self._context, handle)
        self._data.record_free_context(self._context)

    def _keysym_names(self, xk: Any) -> dict[int, str]:
        """Keycode → the keysym name of its unshifted level, read once (the layout does not change while a
        person records)."""
        names: dict[int, str] = {}
        for attribute in dir(xk):
            if attribute.startswith("XK_"):
                names.setdefault(getattr(xk, attribute), attribute[3:])
        first = self._control.display.info.min_keycode
        count = self._control.display.info.max_keycode - first + 1
        table = self._control.get_keyboard_mapping(first, count)
        return {first + i: names[row[0]] for i, row in enumerate(table) if row and row[0] in names}

    def close(self) -> None:
        self._control.record_disable_context(self._context)
        self._control.flush()
        self._thread.join(timeout=2.0)
        self._control.close()
