"""Chromium on a virtual desktop of the test's own, its pages read over CDP (the composite backend)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.integration.served_chromium import launch_served_chromium

from deskhand.backends.browser.flags import READER_FLAGS
from deskhand.backends.composite import CompositeBackend
from deskhand.locate import Desktop
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp


@contextmanager
def chromium_on_desktop(
    url: str, *, timeout: float
) -> Iterator[tuple[VirtualDesktop, CompositeBackend, Desktop, LaunchedApp]]:
    """A fresh desktop with Chromium started on ``url`` (debugging on a port it binds itself, as deskhand starts
    it, once it serves there) and a Desktop over the composite backend (``timeout`` for its waits); all closed
    after."""
    with VirtualDesktop() as virtual:
        backend = CompositeBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=timeout) as desk:
            app, _ = launch_served_chromium(virtual, url, extra_args=READER_FLAGS)
            yield virtual, backend, desk, app
