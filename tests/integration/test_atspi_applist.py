"""The kept application list: reused between calls, and dropped as soon as an app or window comes or goes."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from deskhand.backends.atspi.applist import MAX_AGE_S
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop


def _titles(backend: AtspiBackend) -> set[str]:
    return {w.title for a in backend.applications() for w in a.windows}


def _within(seconds: float, holds: Callable[[], bool]) -> float:
    """How long until ``holds()`` is true, failing after ``seconds``."""
    start = time.monotonic()
    while not holds():
        assert time.monotonic() - start < seconds, "the application list did not change in time"
        time.sleep(0.02)
    return time.monotonic() - start


def test_windows_that_come_and_go_show_at_once(desktop: VirtualDesktop) -> None:
    backend = AtspiBackend(desktop.a11y_address, display=desktop.display)
    try:
        first = desktop.launch(["zenity", "--entry", "--title=First list"])
        _within(10, lambda: "First list" in _titles(backend))
        start = time.perf_counter()
        _titles(backend)
        assert time.perf_counter() - start < 0.002  # kept, not listed again
        second = desktop.launch(["zenity", "--entry", "--title=Second list"])
        # Well before the list would expire by age: an event dropped it.
        assert _within(MAX_AGE_S / 2, lambda: "Second list" in _titles(backend)) < MAX_AGE_S / 2
        desktop.stop_app(second)
        assert _within(MAX_AGE_S / 2, lambda: "Second list" not in _titles(backend)) < MAX_AGE_S / 2
        desktop.stop_app(first)
    finally:
        backend.close()
