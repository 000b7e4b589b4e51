"""A fleet desktop's beat: while the process lives it tells the run store so every HEARTBEAT_S, by the store's
clock (runs/orphans.py). A reader that cannot see the broker's leases (`deskhand runs`, the console, a worker
starting) decides a run `interrupted` only when neither this beat nor the worker's heartbeat has come for
SILENT_AFTER_S — the machine is dead, or cut off from the store."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from deskhand.errors import DeskhandError
from deskhand.runs.store import RunStore
from deskhand.runs.workers import HEARTBEAT_S


@contextmanager
def desktop_beats(store: RunStore, *, say: Callable[[str], None]) -> Iterator[None]:
    pid = os.getpid()
    stop = threading.Event()

    def beat() -> None:
        told = False
        while True:
            try:
                store.beat_desktop(pid)
                told = False
            except DeskhandError as error:  # the store is away: the next beat tries again
                if not told:
                    say(f"could not tell the run store this desktop is alive: {error.message}")
                    told = True
            if stop.wait(HEARTBEAT_S):
                return

    store.beat_desktop(pid)  # before the first row: a run of this desktop always has a beat to be judged by
    beater = threading.Thread(target=beat, name="desktop beat", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()
        with suppress(DeskhandError):
            store.forget_desktop(pid)
