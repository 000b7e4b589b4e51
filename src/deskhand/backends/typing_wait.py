"""Typed keys taken in: waiting until a field shows what was typed, judged by progress, not a total.

Keys reach an app after the call that sent them returned, and the app reads them at its own pace; a field
may also show a suggestion or a reformatted text. The wait ends when the field shows what ``matches`` with
nothing selected, or when it has shown the same for ``stall_s`` (the app took all it will: the caller's
read-back, or a later step, says what it holds). Shared by the backends' typed fills and the runner's
untargeted Type.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Give up when the field has shown the same thing for this long (the app took all it will: the caller's
# read-back then says what it holds). Progress, not a total, so long text typed slowly is waited for.
TYPED_STALL_S = 3.0


def wait_typed_in(
    read: Callable[[], tuple[str, bool]],
    wait_for_change: Callable[[float], object],
    matches: Callable[[str], bool],
    *,
    stall_s: float = TYPED_STALL_S,
) -> None:
    """Until ``read()`` shows text that ``matches`` with nothing selected, or shows the same for ``stall_s``."""
    last: tuple[str, bool] | None = None
    since = time.monotonic()
    while True:
        now = read()
        if matches(now[0]) and not now[1]:
            return
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > stall_s:
            return
        wait_for_change(0.02)
