"""What the action strategies need of the backend they act for (AtspiBackend fits): its loop, channels,
trees and input, as a protocol, so actions.py depends on this shape and not on backend.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from deskhand.backends.atspi.bus import Channel
from deskhand.backends.atspi.direct_line import DirectLine
from deskhand.backends.atspi.reader import AppTree
from deskhand.tree.node import Node


class ActionHost(Protocol):
    display: str
    _trees: dict[str, AppTree]

    @property
    def xinput(self) -> Any: ...

    @property
    def has_input(self) -> bool: ...

    def run(self, coro: Any, timeout: float = 30.0) -> Any: ...

    def on_loop(self, callback: Callable[[], None]) -> None: ...

    def wake_loop(self) -> None: ...

    def direct_line(self, bus_name: str) -> DirectLine | None: ...

    async def _channel(self, bus_name: str) -> Channel: ...

    def current(self, ref: str) -> Node: ...

    def refresh(self, ref: str) -> Node: ...

    def snapshot(self, app_ref: str) -> Node: ...

    def wait_for_change(self, timeout: float) -> bool: ...
