"""The X PRIMARY selection (python-xlib): the text an app offers for what is selected in it.

A spreadsheet that selects a range of cells offers the range's shown text there (tab-separated rows), as
a person's middle-click paste would get it — one answer for thousands of cells, where AT-SPI makes one
accessible object per cell. The person's clipboard (CLIPBOARD) is never touched.

Freshness: deskhand asks the X server (XFixes) to tell it of every claim of PRIMARY, forgets those made
before it asks an app for a selection, and reads PRIMARY once a client claims it since — the app answering
the selection it was just asked to make, never an older selection. deskhand does not own PRIMARY itself to
mark the moment: an app claims it with the time of the event it is handling, which may be older than
deskhand's claim, and the X server then ignores the app's claim (Calc made no offer for one read in ~3 on
a loaded machine, none in 10 s; none missed since).
"""

from __future__ import annotations

import contextlib
import select
import threading
import time
from typing import Any

from deskhand.errors import BackendUnavailable

_POLL_S = 0.005
_CHUNK = 1 << 22  # property bytes asked for at once (python-xlib counts in 4-byte units)


class XSelection:
    """One X connection and one small unmapped window that asks for (and briefly owns) PRIMARY."""

    def __init__(self, display: str) -> None:
        try:
            from Xlib import X, Xatom
            from Xlib import display as xdisplay
            from Xlib.ext import xfixes
        except ImportError as error:  # pragma: no cover - python-xlib is a hard dependency
            raise BackendUnavailable(f"python-xlib is missing: {error}") from None
        try:
            self._display = xdisplay.Display(display)
        except Exception as error:
            raise BackendUnavailable(f"Cannot open X display {display!r}: {error}.") from None
        self._X: Any = X
        self._lock = threading.Lock()
        root = self._display.screen().root
        self._window = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent, event_mask=X.PropertyChangeMask)
        atom = self._display.intern_atom
        self._primary = Xatom.PRIMARY
        self._utf8 = atom("UTF8_STRING")
        self._incr = atom("INCR")
        self._property = atom("DESKHAND_SELECTION")
        try:
            self._display.xfixes_query_version()
            self._display.xfixes_select_selection_input(
                self._window, self._primary, xfixes.XFixesSetSelectionOwnerNotifyMask
            )
            # (event type, XFixes sub-code) of the event told for each claim
            self._claimed: tuple[int, int] = self._display.extension_event.SetSelectionOwnerNotify
        except Exception as error:
            raise BackendUnavailable(f"X display {display!r} has no XFixes extension: {error}.") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._display.close()

    def claim(self) -> None:
        """Mark now: claims of PRIMARY told before now are forgotten, the next one is made after now."""
        with self._lock:
            self._display.sync()  # every claim made before now has been told: drop them
            while self._display.pending_events():
                self._display.next_event()

    def fresh_text(self, timeout: float) -> str | None:
        """The UTF-8 text of PRIMARY once a client claims it after ``claim`` (each call takes one claim told);
        None when none did within ``timeout`` or the owner offers no text."""
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._next_event(self._claimed[0], deadline, owned=True) is None:
                return None
            return self._convert(deadline)

    def _convert(self, deadline: float) -> str | None:
        x = self._X
        self._window.delete_property(self._property)
        self._window.convert_selection(self._primary, self._utf8, self._property, x.CurrentTime)
        self._display.flush()
        notify = self._next_event(x.SelectionNotify, deadline)
        if notify is None or notify.property == x.NONE:
            return None
        reply = self._window.get_full_property(self._property, x.AnyPropertyType, sizehint=_CHUNK)
        self._window.delete_property(self._property)
        self._display.flush()
        if reply is None:
            return None
        if reply.property_type != self._incr:
            return bytes(reply.value).decode("utf-8", errors="replace")
        return self._incremental(deadline)

    def _incremental(self, deadline: float) -> str | None:
        """Large answers come in pieces (the INCR protocol): each piece is a new property value we delete."""
        x = self._X
        pieces: list[bytes] = []
        while True:
            event = self._next_event(x.PropertyNotify, deadline, state=x.PropertyNewValue)
            if event is None:
                return None
            reply = self._window.get_full_property(self._property, x.AnyPropertyType, sizehint=_CHUNK)
            self._window.delete_property(self._property)
            self._display.flush()
            if reply is None or not reply.value:
                return b"".join(pieces).decode("utf-8", errors="replace")
            pieces.append(bytes(reply.value))

    def _refuse(self, request: Any) -> None:
        """Someone pasted while deskhand held PRIMARY: answer "nothing" at once rather than let them wait."""
        from Xlib.protocol import event as xevent

        answer = xevent.SelectionNotify(
            time=request.time,
            requestor=request.requestor,
            selection=request.selection,
            target=request.target,
            property=self._X.NONE,
        )
        request.requestor.send_event(answer)
        self._display.flush()

    def _next_event(self, kind: int, deadline: float, state: int | None = None, owned: bool = False) -> Any:
        while time.monotonic() < deadline:
            if self._display.pending_events() == 0:
                # Woken by the X connection itself: the answer comes ~1 ms after the request, a fixed
                # sleep would add up to its length to every read.
                select.select([self._display.fileno()], [], [], min(_POLL_S, max(deadline - time.monotonic(), 0)))
                continue
            event = self._display.next_event()
            if event.type == self._X.SelectionRequest:
                self._refuse(event)
                continue
            if event.type != kind:
                continue
            if state is not None and (event.atom != self._property or event.state != state):
                continue
            if owned and (event.sub_code != self._claimed[1] or getattr(event.owner, "id", 0) == self._X.NONE):
                continue  # not a claim, or PRIMARY given up
            return event
        return None
