"""The list of applications and their windows, kept between calls until an event says it changed.

Listing costs a registry call plus several calls per app and per window (~5-15 ms); a locator resolves
its app on every action. So the list is kept, and dropped when the registry says an app came or went, an
app's root gains or loses a window, a window opens, closes, activates or is renamed — or when it is older
than ``MAX_AGE_S``, in case an event was missed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel, bounded_gather
from deskhand.backends.base import AppInfo, WindowInfo
from deskhand.tree.node import Bounds
from deskhand.tree.roles import State

MAX_AGE_S = 2.0
_WINDOW_DETAILS = frozenset({"active", "showing", "visible", "defunct", "accessible-name", "iconified"})


class AppList:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._apps: list[AppInfo] | None = None
        self._read_at = 0.0
        self._windows: set[str] = set()  # refs of the listed windows
        self._dropped_at = 0.0

    def get(self) -> list[AppInfo] | None:
        """The kept list, or None when it must be read again."""
        if self._apps is None or self._clock() - self._read_at > MAX_AGE_S:
            return None
        return list(self._apps)

    def keep(self, apps: list[AppInfo], read_at: float) -> None:
        """Keep ``apps``, read from ``read_at`` on, unless an event came in meanwhile."""
        if read_at < self._dropped_at:
            return
        self._apps, self._read_at = list(apps), read_at
        self._windows = {w.ref for a in apps for w in a.windows}

    def drop(self) -> None:
        self._apps = None
        self._dropped_at = self._clock()

    def now(self) -> float:
        return self._clock()

    def note(self, sender: str, interface: str, member: str, path: str, detail: str) -> None:
        """An AT-SPI event arrived: drop the list if it may have changed what the list shows."""
        if self._apps is None:
            return
        if interface == c.I_EVENT_WINDOW:
            self.drop()
        elif member == "ChildrenChanged" and path == c.ROOT_PATH:
            self.drop()  # the registry's root (apps) or an app's root (its windows)
        elif f"{sender}|{path}" in self._windows and (member == "PropertyChange" or detail in _WINDOW_DETAILS):
            self.drop()


async def describe_window(channel: Channel, bus_name: str, path: str) -> WindowInfo:
    """One top-level window of an app as the list shows it: its four facts asked together."""
    props = channel.call(path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Name"])
    role = channel.call(path, c.I_ACCESSIBLE, "GetRole")
    state = channel.call(path, c.I_ACCESSIBLE, "GetState")
    extents = channel.call(path, c.I_COMPONENT, "GetExtents", "u", [c.COORD_SCREEN])
    name_r, role_r, state_r, ext_r = await bounded_gather([props, role, state, extents])
    states = c.states_from_bits(list(state_r[0])) if isinstance(state_r, list) else frozenset()
    bounds = Bounds(*ext_r[0]) if isinstance(ext_r, list) else None
    return WindowInfo(
        ref=f"{bus_name}|{path}",
        title=str(name_r[0].value) if isinstance(name_r, list) else "",
        role=c.map_role(int(role_r[0]))[0] if isinstance(role_r, list) else "window",
        bounds=bounds,
        active=State.ACTIVE in states,
    )
