"""The Chromium deskhand starts is read at the debugging port it serves, never at one another program holds.

A port picked before the browser starts can be taken before it binds it: in a CI run both desktops of a parallel
batch were given 56599; the second Chromium could not bind it and ran without a debugging server, so its
desktop's deskhand read the first desktop's pages over CDP and waited 30 s for a new page that never came
("Chromium did not show a new page within 30 s"). Here another program takes whatever port the opener names
before the browser starts, as the second desktop's Chromium did.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

import pytest

from deskhand.app.browser import BrowserOpener
from deskhand.backends.browser.cdp import CdpBrowser
from deskhand.backends.browser.endpoint import served_endpoint
from deskhand.backends.composite import CompositeBackend
from deskhand.locate import Desktop
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.browsers import BrowserKind
from deskhand.sandbox.launch import LaunchedApp

pytestmark = pytest.mark.desktop


class PortTakingStarter:
    """The virtual desktop's starter, with another program listening on the debugging port it is given (when
    one is named) before the browser starts."""

    owned = True

    def __init__(self, virtual: VirtualDesktop, holder: socket.socket) -> None:
        self.virtual = virtual
        self.holder = holder
        self.launched: list[LaunchedApp] = []

    def launch(self, argv: Sequence[str], *, timeout: float = 20.0, wait: bool = True) -> LaunchedApp:
        return self.virtual.launch(argv, timeout=timeout, wait=wait)

    def launch_browser(
        self, kind: BrowserKind, url: str, *, remote_debugging_port: int | None = None, **options: Any
    ) -> LaunchedApp:
        if remote_debugging_port:
            self.holder.bind(("127.0.0.1", remote_debugging_port))
            self.holder.listen()
        app = self.virtual.launch_browser(kind, url, remote_debugging_port=remote_debugging_port, **options)
        self.launched.append(app)
        return app


def test_a_started_chromium_is_guarded_and_read_at_the_port_it_serves() -> None:
    with VirtualDesktop() as virtual, socket.socket() as holder:
        starter = PortTakingStarter(virtual, holder)
        guarded: list[str] = []
        said: list[str] = []
        backend = CompositeBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=15.0) as desk:
            opener = BrowserOpener(desk, starter, said.append, guard_network=guarded.append)
            name = opener.open("chromium", "about:blank")
            (launched,) = starter.launched
            served = served_endpoint(launched.pid)
            # The endpoint guarded is the one this very browser listens on (not the taken port it was named).
            assert served is not None and guarded == [served], (guarded, served, said)
            assert f"debugging port {served.removeprefix('http://')};" in said[-1], said
            browser = CdpBrowser(served)
            try:
                assert [t.url for t in browser.pages()] == ["about:blank"]
            finally:
                browser.close()
            assert desk.wait_for_app(name, timeout=15.0).windows
