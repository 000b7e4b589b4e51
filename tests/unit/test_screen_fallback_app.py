"""Whose pixels the runner's screen fallback reads (runner/screen_fallback.py): the step's app, or, for a step
that names none, the app whose window is active — the window a person looks at."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from deskhand.backends.base import AppInfo, WindowInfo
from deskhand.runner.screen_fallback import _app_to_read


def _app(name: str, active: bool) -> AppInfo:
    window = WindowInfo(ref=f"{name}|/w", title=name.title(), role="frame", bounds=None, active=active)
    return AppInfo(ref=f"{name}|/", name=name, pid=1, toolkit="GTK", windows=(window,))


APPS = [_app("mousepad", False), _app("gtk4-widget-factory", True)]


def _scope(app_name: str | None, *, pixels: bool = True) -> Any:
    backend = SimpleNamespace(read_pixels_too=lambda *a, **k: None) if pixels else SimpleNamespace()
    desktop = SimpleNamespace(
        backend=backend, apps=lambda: APPS, find_app=lambda name: next((a for a in APPS if a.name == name), None)
    )
    return SimpleNamespace(desktop=desktop, app_name=app_name)


def test_a_step_naming_no_app_reads_the_active_windows_app() -> None:
    found = _app_to_read(_scope(None))
    assert found is not None and found.name == "gtk4-widget-factory"


def test_a_step_naming_an_app_reads_that_app_and_a_desktop_without_pixels_reads_none() -> None:
    found = _app_to_read(_scope("mousepad"))
    assert found is not None and found.name == "mousepad"
    assert _app_to_read(_scope(None, pixels=False)) is None
