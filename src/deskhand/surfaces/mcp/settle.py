"""Waiting for the screen to react to an input event: on accessibility events, with deadlines, no fixed sleep.

After an action the first event usually comes within milliseconds; then events come in a burst. We wait for
the first one (up to ``first_change``), then until the events stop for ``quiet`` (all within ``limit``).
"""

from __future__ import annotations

import time

from deskhand.backends.base import Backend

FIRST_CHANGE_S = 0.3
QUIET_S = 0.05
SETTLE_LIMIT_S = 1.0


def settle(
    backend: Backend,
    version: int,
    *,
    first_change: float = FIRST_CHANGE_S,
    quiet: float = QUIET_S,
    limit: float = SETTLE_LIMIT_S,
) -> None:
    """Return once ``backend`` has moved past ``version`` and gone quiet, or at the deadlines."""
    start = time.monotonic()
    while backend.version() == version and time.monotonic() - start < first_change:
        backend.wait_for_change(first_change - (time.monotonic() - start))
    while time.monotonic() - start < limit and backend.wait_for_change(quiet):
        pass
