"""Apps that show nothing to accessibility tools (Tk, xterm, Java without its bridge): their windows are on the
display, but no application on the accessibility bus owns them, so a click in one can become no step.

A press that landed on nothing the held trees show is judged by the X window under it, looked up as the press is
handed over (its release may close that window), and by that window's process: only a window whose process is
no application on the bus is an app that exposes nothing. A window of an app on the bus is never told (a click
on its empty area, or in a web page, legitimately makes no step), nor the bare desktop. Each such app is told
once, in one line, at its first click; every click on it is counted, and the file is marked partial naming how
many (``exposing.not_recorded_note``). With ``--app``, only the apps named count; a name that no app on the bus
has is told at the start (running but exposing nothing, or not running).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol

import psutil

from deskhand.app.recording.exposing import hint_for, libraries_of, not_recorded_note, shows_nothing_line
from deskhand.app.recording.xpresses import Press
from deskhand.backends.base import AppInfo
from deskhand.backends.screen.tree import is_screen_ref
from deskhand.backends.screen.windows import REGISTER_GRACE_S
from deskhand.backends.x11.windows import XWindow
from deskhand.errors import DeskhandError


class DisplayWindows(Protocol):
    """The display's top-level windows (``backends.x11.windows.XWindows``)."""

    def at(self, x: int, y: int) -> XWindow | None: ...

    def toplevels(self) -> list[XWindow]: ...


def _started(pid: int) -> float:
    """When the process started (epoch seconds); 0 when it is gone or cannot be read."""
    with contextlib.suppress(psutil.Error, OSError):
        return float(psutil.Process(pid).create_time())
    return 0.0


class UnexposedApps:
    """Tells the apps that expose nothing as they are clicked (``tell``) and counts their clicks."""

    def __init__(
        self,
        windows: DisplayWindows,
        apps: Callable[[], list[AppInfo]],
        *,
        wanted: Iterable[str] = (),
        tell: Callable[[str], None] = lambda line: None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        started: Callable[[int], float] = _started,
        libraries: Callable[[int], str] = libraries_of,
        alive: Callable[[int], bool] = psutil.pid_exists,
    ) -> None:
        self._windows = windows
        self._apps = apps
        self._wanted = {name.casefold() for name in wanted}
        self._tell = tell
        self._clock, self._sleep, self._started, self._libraries = clock, sleep, started, libraries
        self._alive = alive
        self._lock = threading.Lock()
        self._under: dict[Press, XWindow | None] = {}
        self._on_bus: set[int] = set()  # processes ever seen on the bus since the start: they expose themselves
        self.clicks: dict[str, int] = {}  # app → clicks not recorded (an app told at the start: 0)

    def note(self, press: Press) -> None:
        """The window under a press, as it is handed over (X RECORD's thread)."""
        window = self._windows.at(press.x, press.y)
        with self._lock:
            self._under[press] = window

    def forget(self, press: Press) -> None:
        """The press is understood (it made a step, or part of one)."""
        with self._lock:
            self._under.pop(press, None)

    def pressed_on_nothing(self, press: Press) -> None:
        """The press landed on nothing the trees show: counted and told (once per app) when its window's app
        exposes nothing."""
        with self._lock:
            window = self._under.pop(press, None)
        if window is None or window.pid <= 0:
            return
        try:
            if not self._exposes_nothing(window.pid):
                return
        except DeskhandError:
            return  # the bus cannot say which apps are on it: nothing is told on a guess
        app = window.app_name
        if self._wanted and app not in self._wanted:
            return  # the person records other apps: a click here is no part of it
        told = app in self.clicks
        self.clicks[app] = self.clicks.get(app, 0) + 1
        if not told:
            self._tell(shows_nothing_line(app, window.title, hint_for(self._libraries(window.pid))))

    def at_start(self) -> None:
        """The apps on the bus now (an app quitting leaves the bus before its window goes: a press that quit it
        is not told), and each ``--app`` name no app on the bus has, told in one line: an app that exposes
        nothing (it has a window here) or one not running."""
        try:
            apps = self._bus_apps()
        except DeskhandError:
            return  # the recorder itself will say what is wrong with the bus
        pids = {app.pid for app in apps}
        self._on_bus |= pids
        if not self._wanted:
            return
        names = {app.name.casefold() for app in apps}
        windows = [w for w in self._windows.toplevels() if w.pid > 0 and w.pid not in pids]
        for name in sorted(self._wanted - names):
            shown = next((w for w in windows if w.app_name == name), None)
            if shown is not None:
                self.clicks.setdefault(name, 0)
                self._tell(shows_nothing_line(name, shown.title, hint_for(self._libraries(shown.pid))))
                continue
            on_bus = ", ".join(sorted(names)) or "none"
            self._tell(
                f"No app called {name!r} is on the accessibility bus or has a window on this display; its steps "
                f"are recorded once it is started (apps on the bus now: {on_bus})."
            )

    def note_for_file(self) -> str:
        """Why the recording is partial because of these apps: '' when no click went unrecorded."""
        return not_recorded_note(self.clicks)

    def _bus_apps(self) -> list[AppInfo]:
        return [app for app in self._apps() if not is_screen_ref(app.ref)]

    def _exposes_nothing(self, pid: int) -> bool:
        if pid in self._on_bus or not self._alive(pid):
            return False  # seen on the bus, or gone (quit by the press): nothing to tell
        self._on_bus |= {app.pid for app in self._bus_apps()}
        if pid in self._on_bus:
            return False
        # GTK and Qt map their first window before they register on the bus: a young process gets that time.
        left = REGISTER_GRACE_S - (self._clock() - self._started(pid))
        if left > 0:
            self._sleep(min(left, REGISTER_GRACE_S))
            self._on_bus |= {app.pid for app in self._bus_apps()}
        return pid not in self._on_bus
