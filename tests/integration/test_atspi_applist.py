"""The kept application list: reused between calls for as long as nothing changes (it has no age limit), and
dropped as soon as an app or a window comes or goes — in each toolkit, an app killed included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

QT_GALLERY = Path(__file__).resolve().parents[1] / "apps" / "qt_gallery.py"
# Longer than the age at which the list used to be read again (2 s): what it is kept for now is events.
QUIET_S = 2.5


def _titles(backend: AtspiBackend) -> set[str]:
    return {w.title for a in backend.applications() for w in a.windows}


def _apps(backend: AtspiBackend) -> set[str]:
    return {a.name for a in backend.applications()}


def _within(seconds: float, holds: Callable[[], bool], what: str) -> None:
    """Until ``holds()`` is true, failing after ``seconds`` with ``what`` was not seen."""
    deadline = time.monotonic() + seconds
    while not holds():
        assert time.monotonic() < deadline, f"the application list did not show {what}"
        time.sleep(0.02)


def _key(desktop: VirtualDesktop, pid: int, keys: str, window: str = ".") -> None:
    """``keys`` into process ``pid``'s window whose title matches ``window``, as a person's keyboard would."""
    find = ["search", "--pid", str(pid), "--onlyvisible", "--name", window]
    command = ["xdotool", *find, "windowfocus", "--sync", "key", keys]
    done = subprocess.run(command, env=desktop.env, timeout=20, capture_output=True, text=True)
    if done.returncode and "BadWindow" in done.stderr:
        # xdotool dies when a window it is looking at is destroyed meanwhile (a dialog just closed, its X
        # window going after its AT-SPI node): the keyboard itself never does; the search is made once more.
        done = subprocess.run(command, env=desktop.env, timeout=20, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def counted(fresh_desktop: VirtualDesktop) -> Iterator[tuple[VirtualDesktop, AtspiBackend, list[int]]]:
    """A backend on a desktop of its own, and how many times it has listed the applications."""
    backend = AtspiBackend(fresh_desktop.a11y_address, display=fresh_desktop.display)
    reads: list[int] = []
    listing = backend._applications

    def counting() -> Any:
        reads.append(1)
        return listing()

    backend._applications = counting  # type: ignore[method-assign]
    try:
        yield fresh_desktop, backend, reads
    finally:
        backend.close()


def test_windows_that_come_and_go_show_at_once(desktop: VirtualDesktop) -> None:
    backend = AtspiBackend(desktop.a11y_address, display=desktop.display)
    try:
        first = desktop.launch(["zenity", "--entry", "--title=First list"])
        _within(10, lambda: "First list" in _titles(backend), "a new app's window")
        second = desktop.launch(["zenity", "--entry", "--title=Second list"])
        _within(10, lambda: "Second list" in _titles(backend), "a second app's window")
        desktop.stop_app(second)
        _within(10, lambda: "Second list" not in _titles(backend), "an app that quit as gone")
        desktop.stop_app(first)
    finally:
        backend.close()


def test_kept_with_no_age_limit_and_dropped_by_each_toolkits_events(
    counted: tuple[VirtualDesktop, AtspiBackend, list[int]],
) -> None:
    """Nothing changes for longer than the old age limit: the list is not read again. Then a dialog, a second
    window and a killed app in GTK3, a dialog in Qt and in GTK4, a new window in Chromium: each shows."""
    virtual, backend, reads = counted
    mousepad = virtual.launch(["mousepad"], timeout=30)
    _within(15, lambda: mousepad.name in _apps(backend), "mousepad started")
    listed = backend._app_list
    for _ in range(5):  # a quiet stretch: no event about apps or windows (a new window may still settle)
        backend.wait_idle(quiet_s=0.5, timeout=10)
        _titles(backend)
        before, dropped_at = len(reads), listed._dropped_at
        time.sleep(QUIET_S)
        _titles(backend)
        if listed._dropped_at == dropped_at:
            break
    assert listed._dropped_at == dropped_at, "events about the windows never stopped"
    assert len(reads) == before, "the list was read again though no event said anything changed"

    _key(virtual, mousepad.pid, "ctrl+o")
    _within(15, lambda: "Open File" in _titles(backend), "GTK3's Open File dialog")
    _key(virtual, mousepad.pid, "Escape", "Open File")
    _within(15, lambda: "Open File" not in _titles(backend), "GTK3's dialog as closed")
    windows = sum(1 for a in backend.applications() if a.name == mousepad.name for _ in a.windows)
    _key(virtual, mousepad.pid, "ctrl+shift+n")
    _within(
        15,
        lambda: sum(len(a.windows) for a in backend.applications() if a.name == mousepad.name) > windows,
        "GTK3's second window",
    )
    os.kill(mousepad.pid, signal.SIGKILL)
    _within(15, lambda: mousepad.name not in _apps(backend), "a killed GTK3 app as gone")

    qt = virtual.launch([sys.executable, str(QT_GALLERY)], timeout=30)
    try:
        gallery = Desktop(backend, timeout=15).app(qt.name)
        gallery.get_by_role("button", name="Choose file…").click()
        _within(15, lambda: "Choose a file" in _titles(backend), "Qt's file dialog")
        gallery.get_by_role("button", name="Cancel").click()
        _within(15, lambda: "Choose a file" not in _titles(backend), "Qt's dialog as closed")
    finally:
        virtual.stop_app(qt)
    _within(15, lambda: qt.name not in _apps(backend), "a Qt app that quit as gone")

    calculator = virtual.launch(["gnome-calculator"], timeout=30)
    try:
        count = sum(len(a.windows) for a in backend.applications() if a.name == calculator.name)
        _key(virtual, calculator.pid, "ctrl+question")
        _within(
            15,
            lambda: sum(len(a.windows) for a in backend.applications() if a.name == calculator.name) > count,
            "GTK4's shortcuts window",
        )
    finally:
        virtual.stop_app(calculator)

    chromium = virtual.launch_chromium("about:blank")
    try:
        count = sum(len(a.windows) for a in backend.applications() if a.name == chromium.name)
        _key(virtual, chromium.pid, "ctrl+n")
        _within(
            20,
            lambda: sum(len(a.windows) for a in backend.applications() if a.name == chromium.name) > count,
            "Chromium's new window",
        )
    finally:
        virtual.stop_app(chromium)
    _within(20, lambda: chromium.name not in _apps(backend), "Chromium that quit as gone")
