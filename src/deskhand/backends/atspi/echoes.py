"""The TextChanged events a text write of deskhand's own will cause, so they do not mark the field for
reading again.

Writing a field's text (SetTextContents) makes the app announce the change: GTK deletes the old text and
inserts the new, each a TextChanged event (measured on GTK3 entries). The write was read back already
(write_back.py), so those events say nothing new; left to mark the field, they made the next action on it
(and the guard's look at it) read it again. Only events that repeat exactly the text replaced or written,
from offset 0, count as echoes; any other TextChanged on the field means the app changed the text itself,
and every echo still expected there is forgotten (the field is marked as usual).

Expected echoes are set from the caller's thread before the write is sent, and taken on the loop thread as
events arrive (one lock between them). A write that follows another before the first one's echoes came adds
its own to them, replacing the text the first wrote: replacing the list instead left the first write's late
echoes to mark the field, and the next action on it read it again (seen on GTK3 entries written twice within
a few milliseconds).
"""

from __future__ import annotations

import threading
import time
from typing import Any

# Echoes arrive within milliseconds; one expected longer ago than this never came and is let go.
ECHO_WINDOW_S = 5.0


class Echoes:
    def __init__(self) -> None:
        # path -> (when the last write was sent, the echoes still to come, the text it wrote)
        self._expected: dict[str, tuple[float, list[tuple[str, str]], str]] = {}
        self._lock = threading.Lock()

    def expect(self, path: str, old: str | None, new: str) -> None:
        """A write of ``new`` over ``old`` (as the model holds it) is about to be sent to ``path``."""
        with self._lock:
            now = time.monotonic()
            pending = self._expected.get(path)
            events: list[tuple[str, str]] = []
            if pending is not None and now - pending[0] < ECHO_WINDOW_S:
                _, events, old = pending  # the model has not kept that write yet: the field holds its text
                events = list(events)
            if old == new:
                if events:
                    self._expected[path] = (now, events, new)
                else:
                    self._expected.pop(path, None)  # an unchanged text: the app announces nothing
                return
            if old:
                events.append(("delete", old))
            if new:
                events.append(("insert", new))
            self._expected[path] = (now, events, new)

    def expecting(self, path: str) -> bool:
        """Whether echoes of a write to ``path`` are still on their way."""
        return path in self._expected

    def forget(self, path: str) -> None:
        with self._lock:
            self._expected.pop(path, None)

    def take(self, path: str, body: list[Any]) -> bool:
        """Whether a TextChanged event (``body``: kind, offset, length, text) from ``path`` is an echo."""
        with self._lock:
            return self._take(path, body)

    def _take(self, path: str, body: list[Any]) -> bool:
        found = self._expected.get(path)
        if found is None:
            return False
        since, events, _ = found
        text = getattr(body[3], "value", body[3]) if len(body) > 3 else None
        kind = str(body[0]).split(":", 1)[0] if body else ""
        event = (kind, text)
        fresh = time.monotonic() - since < ECHO_WINDOW_S
        if fresh and body[1] == 0 and event in events and isinstance(text, str) and body[2] == len(text):
            events.remove(event)
            if not events:
                self._expected.pop(path, None)
            return True
        self._expected.pop(path, None)
        return False
