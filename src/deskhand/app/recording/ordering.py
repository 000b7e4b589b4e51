"""The person's input and the apps' events in the order they happened, not the order they arrive.

A press or key comes from X RECORD on one connection, the apps' accessibility events come over D-Bus; under
load either may come late (measured: a press handed over 126 ms after the focus events it caused, and the
first letter's text event before the press on the field it was typed into). Each is stamped: an input with
the X server's own time of it, an event with its arrival (whatever caused it came before). An event is given
out only once the input stream has caught up with the moment it arrived (``caught_up``: a marker sent through
the X server comes back through X RECORD after every input made before it), so an input made before an event
is always understood before it, however late it was handed over.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import time
from collections.abc import Callable

from deskhand.app.recording.xpresses import Key, Press
from deskhand.backends.atspi.event import AtspiEvent

Item = AtspiEvent | Press | Key
# X server time is milliseconds of the server's monotonic clock (Xorg, Xvfb and Xwayland read CLOCK_MONOTONIC),
# 32 bits wide; a server whose clock is not ours (another machine) is stamped by arrival, as before.
_WRAP = 1 << 32
_SAME_CLOCK_MS = 60_000


def input_time(server_ms: int, now: float) -> float:
    """When an input happened, on this process's monotonic clock (``now`` when the server's clock is not ours)."""
    now_ms = int(now * 1000)
    ahead = (server_ms - now_ms + _WRAP // 2) % _WRAP - _WRAP // 2
    if not server_ms or abs(ahead) > _SAME_CLOCK_MS:
        return now
    return (now_ms + ahead) / 1000


class Arrivals:
    """Where events and inputs are handed in (any thread) and taken out in the order they happened."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[float, Item]] = queue.Queue()
        self._heap: list[tuple[float, int, Item]] = []
        self._order = itertools.count()
        # Events that arrived before this moment have every input made before them handed in already.
        self._caught_up_at = float("-inf")
        self.caught_up: Callable[[], bool] = lambda: True

    def event(self, event: AtspiEvent) -> None:
        self._queue.put((time.monotonic(), event))

    def input(self, item: Press | Key) -> None:
        self._queue.put((input_time(item.time, time.monotonic()), item))

    def waiting(self) -> bool:
        return bool(self._heap) or not self._queue.empty()

    def input_waiting(self) -> bool:
        """Whether a press or key handed in is still to be given out."""
        self._take_in()
        return any(isinstance(item, Press | Key) for _, _, item in self._heap)

    def next(self, timeout: float) -> Item | None:
        """The earliest thing that happened, waiting up to ``timeout`` for one; None when nothing came."""
        if not self._heap:
            try:
                self._push(self._queue.get(timeout=timeout))
            except queue.Empty:
                return None
        while True:
            self._take_in()
            stamp, _, item = self._heap[0]
            if isinstance(item, AtspiEvent) and stamp > self._caught_up_at:
                asked = time.monotonic()
                # An input stream that does not answer in time is not waited for again for this event.
                self._caught_up_at = asked if self.caught_up() else stamp
                continue
            heapq.heappop(self._heap)
            return item

    def _take_in(self) -> None:
        while True:
            try:
                self._push(self._queue.get_nowait())
            except queue.Empty:
                return

    def _push(self, stamped: tuple[float, Item]) -> None:
        heapq.heappush(self._heap, (stamped[0], next(self._order), stamped[1]))
