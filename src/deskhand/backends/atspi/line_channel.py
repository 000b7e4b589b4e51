"""A few calls of a channel coroutine made from the caller's thread, on the app's direct line.

The table seam's small operations (a sheet's size, one cell's text, marking a cell) are written once as
coroutines over a :class:`~deskhand.backends.atspi.bus.Channel`. Sent through the backend's loop, each costs
two thread switches, which on a loaded two-core machine took longer than Calc's answer (direct_line.py).
:class:`LineChannel` answers the same ``call`` / ``call_many`` on a :class:`DirectLine` without ever
suspending, so :func:`drive` runs such a coroutine to its end on the caller's thread.

Only small batches go this way: the line writes a whole batch before it reads, and an app that cannot
write its answers to a full socket stops reading it (thousands of cells go through the loop's channel,
which keeps a window of calls in flight).
"""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from deskhand.backends.atspi.bus import CALL_TIMEOUT_S, CallSpec
from deskhand.backends.atspi.direct_line import DirectLine

T = TypeVar("T")
# Calls a batch may hold and still go on the direct line (a cell, a mark: two or three).
LINE_BATCH_AT_MOST = 32


class LineChannel:
    """The part of ``Channel`` the table seam uses, answered on a direct line from the caller's thread."""

    def __init__(self, line: DirectLine) -> None:
        self.line = line
        self.destination = line.destination

    async def call(
        self,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: list[Any] | None = None,
        timeout: float = CALL_TIMEOUT_S,
    ) -> list[Any]:
        (reply,) = self.line.call_many([(path, interface, member, signature, body or [])], timeout=timeout)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    async def call_many(
        self, calls: Sequence[CallSpec], *, timeout: float = CALL_TIMEOUT_S
    ) -> list[list[Any] | BaseException]:
        return self.line.call_many(calls, timeout=timeout)


def drive(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine whose awaits are all LineChannel calls (none suspends) to its result."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a coroutine driven on a direct line waited for the event loop")
