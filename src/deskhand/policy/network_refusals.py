"""Requests the browser's network guard refused, handed from its reader thread to the guard's own thread.

The network guard answers Chromium on a thread of its own (a paused request must not wait for deskhand); the
run store and the audit log are written from the guard's thread, so refusals queue here until the guard's next
read, wait or input event records them, attributed to the step running then.
"""

from __future__ import annotations

import threading


class NetworkRefusals:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._urls: list[str] = []

    def note(self, url: str) -> None:
        """Called from the network guard's thread."""
        with self._lock:
            self._urls.append(url)

    def take(self) -> list[str]:
        with self._lock:
            urls, self._urls = self._urls, []
        return urls
