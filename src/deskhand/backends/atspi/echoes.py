"""The TextChanged events a text write of deskhand's own will cause, so they do not mark the field for
reading again.

Writing a field's text (SetTextContents) makes the app announce the change: GTK deletes the old text and
inserts the new, each a TextChanged event (measured on GTK3 entries). The write was read back already
(write_back.py), so those events say nothing new; left to mark the field, they made the next action on it
(and the guard's look at it) read it again. Only events that repeat exactly the text replaced or written,
from offset 0, count as echoes; any other TextChanged on the field means the app changed the text itself,
and every echo still expected there is forgotten (the field is marked as usual).

Expected echoes are set from the caller's thread before the write is sent, and taken on the loop thread as
events arrive: each write replaces the field's whole list (one assignment), the loop only shortens it.
"""

from __future__ import annotations

import time
from typing import Any

# Echoes arrive within milliseconds; one expected longer ago than this never came and is let go.
ECHO_WINDOW_S = 5.0


class Echoes:
    def __init__(self) -> None:
        self._expected: dict[str, tuple[float, list[tuple[str, str]]]] = {}

    def expect(self, path: str, old: str | None, new: str) -> None:
        """A write of ``new`` over ``old`` (as the model holds it) is about to be sent to ``path``."""
        if old == new:
            self._expected.pop(path, None)  # an unchanged text: the app announces nothing
            return
        events = [("delete", old)] if old else []
        if new:
            events.append(("insert", new))
        self._expected[path] = (time.monotonic(), events)

    def expecting(self, path: str) -> bool:
        """Whether echoes of a write to ``path`` are still on their way."""
        return path in self._expected

    def forget(self, path: str) -> None:
        self._expected.pop(path, None)

    def take(self, path: str, body: list[Any]) -> bool:
        """Whether a TextChanged event (``body``: kind, offset, length, text) from ``path`` is an echo."""
        found = self._expected.get(path)
        if found is None:
            return False
        since, events = found
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
