"""A connection that closes while a batch is in flight: every call ends NodeGone, and nothing is sent from
inside dbus-fast's own loop over the waiting callbacks (which raised "dictionary changed size")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from deskhand.backends.atspi.bus import WINDOW, Channel
from deskhand.errors import NodeGone

Reply = Callable[[Any, Exception | None], None]


class ClosingBus:
    """The part of dbus-fast's MessageBus that call_many uses; closes after ``close_after`` calls were
    written, as dbus-fast's ``_finalize`` does: marks itself disconnected, then calls every waiting
    callback."""

    def __init__(self, close_after: int) -> None:
        self._method_return_handlers: dict[int, Reply] = {}
        self.serial = 0
        self.sent = 0
        self.close_after = close_after
        self.connected = True
        self._writer = self

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def schedule_write(self, message: Any) -> None:
        self.sent = self.serial  # every call registered so far went out with this write
        if self.sent >= self.close_after:
            asyncio.get_running_loop().call_soon(self.finalize)

    def finalize(self) -> None:
        self.connected = False
        for handler in self._method_return_handlers.values():
            handler(None, EOFError("closed"))
        self._method_return_handlers.clear()


def test_a_batch_on_a_closing_connection_ends_gone_without_sending_more() -> None:
    calls = [("/org/a11y/atspi/accessible/1", "org.a11y.atspi.Accessible", "GetRole", "", [])] * (WINDOW * 3)
    bus = ClosingBus(close_after=WINDOW)
    channel = Channel(bus, ":1.5")  # type: ignore[arg-type]
    results = asyncio.run(asyncio.wait_for(channel.call_many(calls, timeout=2.0), 5.0))
    assert len(results) == len(calls)
    assert all(isinstance(result, NodeGone) for result in results)
    assert bus.sent == WINDOW  # nothing went out once the connection had closed


def test_a_single_call_on_a_closed_connection_is_gone_without_sending() -> None:
    bus = ClosingBus(close_after=1)
    bus.connected = False
    with pytest.raises(NodeGone, match="closed"):
        asyncio.run(Channel(bus, ":1.5").call("/org/a11y/atspi/accessible/1", "org.a11y.atspi.Accessible", "GetRole"))  # type: ignore[arg-type]
    assert bus.sent == 0  # dbus-fast would have written to the closed socket ("Bad file descriptor")
