"""The Desktop: where locators start. Finds applications and windows on one backend."""

from __future__ import annotations

import time
from collections.abc import Callable

from deskhand.backends.base import AppInfo, Backend
from deskhand.errors import AppNotFound, DeskhandError
from deskhand.locate.locator import Locator
from deskhand.locate.windows import WindowHandle
from deskhand.tree.match import RoleIndex
from deskhand.tree.node import Node
from deskhand.tree.selector import Selector

DEFAULT_TIMEOUT_S = 5.0


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class Desktop:
    """``Desktop(backend).app("zenity").get_by_role("button", name="OK").click()``."""

    def __init__(self, backend: Backend, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.backend = backend
        self.timeout = timeout
        # Roles below each node, kept across resolutions: a locator skips subtrees without its role.
        self.role_index = RoleIndex()

    def apps(self) -> list[AppInfo]:
        return self.backend.applications()

    def find_app(self, name: str) -> AppInfo | None:
        """The app called ``name`` (or owning a window of that title); exact before partial matches."""
        wanted = _norm(name)
        apps = self.apps()
        tests: tuple[Callable[[AppInfo], bool], ...] = (
            lambda a: _norm(a.name) == wanted,
            lambda a: any(_norm(w.title) == wanted for w in a.windows),
            lambda a: wanted in _norm(a.name),
            lambda a: any(wanted in _norm(w.title) for w in a.windows),
        )
        for test in tests:
            found = [a for a in apps if test(a)]
            if found:
                # The newest instance is the one a person just opened.
                return found[-1]
        return None

    def wait_for_app(self, name: str, timeout: float | None = None) -> AppInfo:
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            app = self.find_app(name)
            if app is not None and app.windows:
                return app
            if time.monotonic() >= deadline:
                raise AppNotFound(name, [a.name for a in self.apps()])
            self.backend.wait_for_change(min(0.1, max(deadline - time.monotonic(), 0.0)))

    def app(self, name: str) -> Locator:
        """A locator scoped to the application ``name`` (resolved late, like every locator)."""
        return Locator(self, app_name=name, selector=None)

    def windows(self, title: str) -> WindowHandle:
        """Control the window titled ``title``: focus, raise_, minimize, close, move, resize (read back)."""
        return WindowHandle(self, title, self.timeout)

    def window(self, title: str, *, app: str | None = None) -> Locator:
        selector = Selector(role="window", name=title)
        return Locator(self, app_name=app, selector=selector, window_title=title)

    def snapshot(self, app_name: str) -> Node:
        app = self.find_app(app_name)
        if app is None:
            raise AppNotFound(app_name, [a.name for a in self.apps()])
        return self.backend.snapshot(app.ref)

    def press(self, keys: str) -> None:
        self.backend.press(keys)

    def type(self, text: str) -> None:
        self.backend.type_text(text)

    def screenshot(self) -> bytes:
        return self.backend.screenshot()

    def close(self) -> None:
        try:
            self.backend.close()
        except DeskhandError:
            pass

    def __enter__(self) -> Desktop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
