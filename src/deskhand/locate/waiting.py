"""Waiting without fixed sleeps: retry a check until it holds, waking on accessibility events."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from deskhand.backends.base import Backend
from deskhand.errors import LocatorError

T = TypeVar("T")

# Some toolkits change things without an event (or the event is late); look again at least this often.
POLL_CAP_S = 0.1
# And when nothing has worked for this long, re-read the trees from scratch in case an event was missed
# (Chromium builds a new page's tree in pieces, and not every piece is announced).
REREAD_AFTER_S = 1.0


def retry_until(
    backend: Backend,
    attempt: Callable[[], T],
    *,
    timeout: float,
    on_timeout: Callable[[LocatorError | None], Exception],
) -> T:
    """Call ``attempt`` until it returns without a LocatorError, or the deadline passes.

    Between attempts it blocks on the backend's change notification (an AT-SPI event), capped at
    ``POLL_CAP_S`` so a toolkit that forgets an event still gets looked at again.
    """
    deadline = time.monotonic() + max(timeout, 0.0)
    next_reread = time.monotonic() + REREAD_AFTER_S
    last: LocatorError | None = None
    while True:
        seen = backend.version()
        try:
            return attempt()
        except LocatorError as error:
            last = error
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise on_timeout(last)
        if backend.version() == seen:
            backend.wait_for_change(min(remaining, POLL_CAP_S))
        if time.monotonic() >= next_reread:
            backend.invalidate()
            next_reread = time.monotonic() + REREAD_AFTER_S
