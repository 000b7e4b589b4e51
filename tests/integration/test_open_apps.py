"""Apps by their names on a real desktop: `Open <name>` starts the app its desktop entry names."""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest
from tests.integration.steps_helper import run_steps, step_runner

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import AppNotFound
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop


@pytest.fixture
def desk() -> Iterator[tuple[VirtualDesktop, Desktop]]:
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=20.0) as desktop:
            yield virtual, desktop


def pids_of(program: str) -> set[int]:
    """Processes running ``program`` (other tests on this machine may run it too: compare pids)."""
    return {
        p.info["pid"]
        for p in psutil.process_iter(["pid", "cmdline"])
        if p.info["cmdline"] and p.info["cmdline"][0].endswith(program)
    }


@pytest.mark.parametrize(("said", "program"), [('"Calculator"', "gnome-calculator"), ('"Text Editor"', "mousepad")])
def test_open_by_the_name_on_the_desktop_entry(desk: tuple[VirtualDesktop, Desktop], said: str, program: str) -> None:
    virtual, desktop = desk
    runner = step_runner(desktop, virtual)
    before = pids_of(program)
    run_steps(runner, f"Open {said}")
    started = pids_of(program) - before
    assert started, f"no {program} process was started"
    assert runner.ctx.current_app is not None and desktop.find_app(runner.ctx.current_app) is not None


def test_an_unknown_app_lists_the_closest_installed(desk: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desktop = desk
    with pytest.raises(AppNotFound) as failure:
        run_steps(step_runner(desktop, virtual), 'Open "Calculater"')
    assert "Calculator" in failure.value.available
