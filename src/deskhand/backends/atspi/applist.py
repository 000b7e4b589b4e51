"""The list of applications and their windows, kept between calls until an event says it changed.

Listing costs a registry call plus several calls per app and per window (5-15 ms idle, 15-160 ms on a
loaded machine); a locator resolves its app on every action. So the list is kept, and dropped when the
registry says an app came or went (it says so for an app killed too), an app's root gains or loses a
window or is renamed, a window opens, closes, activates, moves or is renamed.

The list is not dropped by age. It was, every 2 s "in case an event was missed", and that re-read was most
of a fill by label's time whenever actions were 2 s apart (benchmarks/peers.py, issue 17). Measured instead:
with no age limit, the kept list followed a dialog, a second window, a window closed, an app started, quit
and killed, in GTK3 (mousepad), GTK4 (gnome-calculator), Qt and Chromium
(tests/integration/test_atspi_applist.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel, bounded_gather
from deskhand.backends.base import AppInfo, WindowInfo
from deskhand.tree.node import Bounds
from deskhand.tree.roles import State

_WINDOW_DETAILS = frozenset({"active", "showing", "visible", "defunct", "accessible-name", "iconified"})
_MAX_WINDOW_EVENTS = 512
_READ_LONGEST_S = 60.0  # a read of the list ends long before this (its calls have deadlines)


class AppList:
    """The kept list. ``note`` runs on the loop thread as events arrive, ``get``/``keep``/``drop`` on callers'
    threads; one lock keeps an event from slipping between a read's check and its keeping."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._apps: list[AppInfo] | None = None
        self._windows: set[str] = set()  # refs of the listed windows
        self._dropped_at = 0.0
        # While no list is kept: events that would drop a list holding that window (when, "bus|path").
        self._window_events: list[tuple[float, str]] = []

    def get(self) -> list[AppInfo] | None:
        """The kept list, or None when it must be read again."""
        apps = self._apps
        return None if apps is None else list(apps)

    def keep(self, apps: list[AppInfo], read_at: float) -> None:
        """Keep ``apps``, read from ``read_at`` on, unless an event came in meanwhile that may have changed
        them (one about the apps, or about one of these windows)."""
        windows = {w.ref for a in apps for w in a.windows}
        with self._lock:
            late = self._dropped_at >= read_at or any(
                at >= read_at and ref in windows for at, ref in self._window_events
            )
            if not late:
                self._apps, self._windows = list(apps), windows
                self._window_events.clear()

    def drop(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        self._apps = None
        self._dropped_at = self._clock()

    def now(self) -> float:
        return self._clock()

    def note(self, sender: str, interface: str, member: str, path: str, detail: str) -> None:
        """An AT-SPI event arrived: drop the list if it may have changed what the list shows."""
        about_apps = interface == c.I_EVENT_WINDOW or (
            path == c.ROOT_PATH and (member == "ChildrenChanged" or detail == "accessible-name")
        )  # a window came or went; the registry's root (apps), an app's root (its windows), an app's name
        about_a_window = member in ("PropertyChange", "BoundsChanged") or detail in _WINDOW_DETAILS
        if not (about_apps or about_a_window):
            return
        ref = f"{sender}|{path}"
        with self._lock:
            if about_apps:
                self._drop()
            elif self._apps is not None:
                if ref in self._windows:
                    self._drop()
            else:  # which paths are windows is known once the read under way ends (keep)
                now = self._clock()
                if len(self._window_events) >= _MAX_WINDOW_EVENTS:
                    self._window_events = [e for e in self._window_events if e[0] > now - _READ_LONGEST_S]
                if len(self._window_events) < _MAX_WINDOW_EVENTS:
                    self._window_events.append((now, ref))
                else:
                    self._drop()  # too many to hold: any read under way is not kept


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
