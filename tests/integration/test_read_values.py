"""Read means the value: `Read "<label>"` and `Expect "<label>" to show …` give what the label names —
an output, a status, a definition, the cell under a header, a value label beside its label — never the
label's own text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.integration.steps_helper import APPS, printed_json, run_steps, step_runner
from tests.integration.test_values_chromium import browser, page

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.steps import StepRunner
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

__all__ = ["browser", "page"]  # fixtures shared with the Chromium values tests


@pytest.mark.parametrize(
    ("label", "value"),
    [("Total", "12"), ("Sync", "Up to date"), ("Account", "ACME-42"), ("Owner", "Grace Hopper"), ("Price", "9.50")],
    ids=["output", "status", "dl-first", "dl-second", "table-header"],
)
def test_web_read_gives_the_value(page: tuple[Any, StepRunner], label: str, value: str) -> None:
    _, runner = page
    run_steps(runner, f'Read "{label}" as got')
    assert runner.ctx.values["got"] == value  # the values of tests/fixtures/web/values.html


def test_web_expect_follows_the_output(page: tuple[Any, StepRunner]) -> None:
    _, runner = page
    run_steps(runner, 'Type "3" into "Seats"', 'Expect "Total" to show "36"')


@pytest.fixture(scope="module")
def gtk() -> Iterator[tuple[VirtualDesktop, Desktop]]:
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=10.0) as desk:
            yield virtual, desk


def test_gtk3_labels_read_their_values(gtk: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = gtk
    app = virtual.launch(["/usr/bin/python3", str(APPS / "gtk3_values.py")])
    try:
        runner = step_runner(desk, virtual, app=app.name)
        run_steps(runner, 'Type "3" into "Seats"', 'Read "Total" as total', 'Read "Status" as status')
        run_steps(runner, 'Expect "Total" to show "36"', 'Click "Done"')
        assert runner.ctx.values["status"] == "Ready"
        assert runner.ctx.values["total"] == printed_json(app)["total"] == "36"  # what the app itself holds
    finally:
        virtual.stop_app(app)
