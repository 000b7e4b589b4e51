"""Run as a script by test_app_quits_mid_read.py: an app with a direct (peer-to-peer) connection is killed
while another thread keeps reading it; prints one JSON line of what the reads raised. Whatever asyncio or
dbus-fast log (a send on a closed socket, a coroutine never awaited) goes to stderr for the test."""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import threading

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import DeskhandError
from deskhand.sandbox import VirtualDesktop

ROUNDS = 3
AFTER_KILL = 3  # reads by the reader thread once the app is killed


class Reader:
    """Reads one app whole, again and again, until it has read ``AFTER_KILL`` times after the kill."""

    def __init__(self, backend: AtspiBackend, app_ref: str) -> None:
        self.backend, self.app_ref = backend, app_ref
        self.reading, self.killed = threading.Event(), threading.Event()
        self.raised: list[str] = []

    def run(self) -> None:
        left = AFTER_KILL
        while left > 0:
            left -= self.killed.is_set()
            try:
                self.backend.invalidate(self.app_ref)
                self.reading.set()
                self.backend.snapshot(self.app_ref)
                self.backend.applications()
            except DeskhandError as error:
                if self.killed.is_set():
                    self.raised.append(type(error).__name__)


def one_round(virtual: VirtualDesktop, backend: AtspiBackend, command: list[str]) -> tuple[list[str], int]:
    """(what the reads raised once the app was killed, the app's direct connections)."""
    app = virtual.launch(command, timeout=30)
    try:
        info = next(a for a in backend.applications() if a.pid == app.pid)
        button = next(n for n in backend.snapshot(info.ref).walk() if n.role == "button")
        peers = len(backend._peers)
        reader = Reader(backend, info.ref)
        thread = threading.Thread(target=reader.run)
        thread.start()
        reader.reading.wait(30)  # the reader is reading the whole app again: kill the app under it
        os.kill(app.pid, signal.SIGKILL)
        reader.killed.set()
        thread.join(60)
        try:
            backend.refresh(button.ref)
            reader.raised.append("read a killed app's button")
        except DeskhandError as error:
            reader.raised.append(type(error).__name__)
        return reader.raised, peers
    finally:
        virtual.stop_app(app)


def main() -> None:
    raised: set[str] = set()
    peers: list[int] = []
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        for _ in range(ROUNDS):
            errors, links = one_round(virtual, backend, sys.argv[1:])
            raised.update(errors)
            peers.append(links)
            gc.collect()
        backend.close()
    gc.collect()
    print(json.dumps({"raised": sorted(raised), "peers": peers}), flush=True)


if __name__ == "__main__":
    main()
