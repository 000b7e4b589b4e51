"""Fixtures for integration tests on real virtual desktops (Xvfb + session D-Bus + AT-SPI)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop

QT_FORM = Path(__file__).resolve().parents[1] / "apps" / "qt_form.py"


@pytest.fixture(scope="session")
def desktop() -> Iterator[VirtualDesktop]:
    """One desktop shared by the whole session; stop the apps you launch on it (desktop.stop_app)."""
    with VirtualDesktop() as desk:
        yield desk


@pytest.fixture(scope="module")
def atspi_session() -> Iterator[tuple[VirtualDesktop, Desktop]]:
    """A desktop of this test module's own and a Desktop over its AT-SPI backend."""
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=5.0) as desk:
            yield virtual, desk


@pytest.fixture
def fresh_desktop() -> Iterator[VirtualDesktop]:
    """A desktop of this test's own, torn down after it."""
    with VirtualDesktop() as desk:
        yield desk


@pytest.fixture(scope="session")
def qt_form_command() -> list[str]:
    return [sys.executable, str(QT_FORM)]
