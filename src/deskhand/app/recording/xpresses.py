"""The person's real pointer presses and keys, seen through the X RECORD extension (python-xlib).

AT-SPI says nothing when a button is pressed (GTK3 sends no event for a click), so a click is taken from
the X server's own record of the button going down, at the point where it went down; a key from the key
going down, with the modifiers held at that moment (chords, Enter on a focused button). ``caught_up`` tells
when every input made so far has been handed over: X RECORD hands data over late under load, and the
recorder must not understand an app's event before the input that came before it (``ordering``)."""

from __future__ import annotations

import struct
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
    time: int = 0


# A marker is a NoOperation request (core opcode 127, which may carry any payload) holding a number: X RECORD
# hands it over after every input the server took before it. Others' NoOperation requests carry no payload.
_NO_OPERATION = 127
_CAUGHT_UP_WAIT_S = 2.0

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
            from Xlib.protocol import rq
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

        class Marker(rq.Request):  # type: ignore[misc]  # python-xlib is untyped
            _request = rq.Struct(rq.Opcode(_NO_OPERATION), rq.Pad(1), rq.RequestLength(), rq.Card32("number"))

        self._marker = Marker
        self._markers_sent = 0
        self._markers_seen = 0
        self._seen = threading.Condition()
        self._context = self._control.record_create_context(
            0,
            [record.AllClients],
            [
                {
                    "core_requests": (_NO_OPERATION, _NO_OPERATION),
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
            if reply.client_swapped or not reply.data:
                return
            if reply.category == self._record.FromClient:
                self._marker_seen(reply.data)
                return
            if reply.category != self._record.FromServer:
                return
            data = reply.data
            while data:
                event, data = rq.EventField(None).parse_binary_value(data, self._data.display, None, None)
                if event.type == self._X.ButtonPress and event.detail in (1, 2, 3):
                    self._on_press(Press(event.root_x, event.root_y, event.detail, event.time))
                elif event.type == self._X.KeyPress and event.detail in self._keysyms:
                    held = frozenset(name for bit, name in _MASKS if event.state & bit)
                    self._on_key(Key(self._keysyms[event.detail], held, event.time))

        # Blocks until the context is disabled from the other connection.
        self._data.record_enable_context(self._context, handle)
        self._data.record_free_context(self._context)

    def caught_up(self) -> bool:
        """Whether every input the X server took before this call has been handed over (False: no word from
        the server in time). Sends a numbered marker and waits for X RECORD to hand it back."""
        with self._seen:
            self._markers_sent += 1
            number = self._markers_sent
        self._marker(display=self._control.display, number=number)
        # A request with a reply makes the server flush its output, the buffered record data with it.
        self._control.get_input_focus()
        with self._seen:
            return self._seen.wait_for(lambda: self._markers_seen >= number, _CAUGHT_UP_WAIT_S)

    def _marker_seen(self, data: bytes) -> None:
        if len(data) == 8 and data[0] == _NO_OPERATION:
            (number,) = struct.unpack("=I", data[4:8])
            with self._seen:
                self._markers_seen = max(self._markers_seen, number)
                self._seen.notify_all()

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
