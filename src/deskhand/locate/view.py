"""What a locator and a dialog check need of the desktop: its backend, its apps, its patience.

``locate.desktop.Desktop`` makes locators and so imports them; locators see it only through this protocol,
which keeps the package's imports one-way."""

from __future__ import annotations

from typing import Protocol

from deskhand.backends.base import AppInfo, Backend
from deskhand.tree.match import RoleIndex


class DesktopView(Protocol):
    @property
    def backend(self) -> Backend: ...

    @property
    def timeout(self) -> float: ...

    @property
    def role_index(self) -> RoleIndex: ...

    def apps(self) -> list[AppInfo]: ...

    def find_app(self, name: str) -> AppInfo | None: ...
