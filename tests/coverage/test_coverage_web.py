"""Coverage matrix, browser columns: one page with every HTML control (web/controls.html) on a loopback server,
opened through the step language in Chromium and in Firefox, each browser started once for its column."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from tests.coverage.cells import Cell, Column
from tests.coverage.gallery import gallery_cells
from tests.coverage.matrix import ROWS, CellResult
from tests.coverage.readback import reported
from tests.coverage.web.site import Site, serve

from deskhand.backends.composite import CompositeBackend
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop
CELLS = gallery_cells("web")
FIREFOX_CELLS = {
    **CELLS,
    # Firefox opens GTK's own colour chooser (Chromium's colour well takes the value on the page): through it
    # as a person goes, its palette first, then the custom editor, whose entry takes a colour on Enter.
    "colour chooser": Cell(
        (
            'Click "Colour"',
            'Click "Custom color"',
            'Type "#ff0000" into "Color Name"',
            "Press Enter",
            'Click "Select" in "Choose a color"',
        ),
        reported("colour", "#ff0000"),
    ),
}
OPEN = {"chromium": "Open {url} in the browser", "firefox": "Open {url} in Firefox"}
PAGE_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def browser_column(key: str, site: Site, work: pytest.TempPathFactory) -> Iterator[Column]:
    with (
        VirtualDesktop() as virtual,
        Desktop(CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=5.0) as desktop,
    ):
        column = Column(key, virtual, desktop, "", work.mktemp(key), output=site.output)
        column.connect = lambda: Desktop(CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=5.0)
        column.prepare(OPEN[key].format(url=site.url("controls.html")))
        if column.broken is None:
            column.app = next(app.name for app in desktop.apps() if key in app.name.lower())
            try:
                page = column.desktop.app(column.app).get_by_role("button", name="Say hello")
                page.wait_for(timeout=PAGE_TIMEOUT_S)
            except DeskhandError as error:
                column.broken = f"the page did not show: {error.message}"
        yield column
        column.close()


@pytest.fixture(scope="module")
def chromium(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Column]:
    yield from browser_column("chromium", site, tmp_path_factory)


@pytest.fixture(scope="module")
def firefox(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Column]:
    yield from browser_column("firefox", site, tmp_path_factory)


@pytest.mark.parametrize("row", ROWS)
def test_chromium_cell(chromium: Column, row: str, record_cell: Callable[[CellResult], None]) -> None:
    record_cell(chromium.run(row, CELLS[row]))


@pytest.mark.parametrize("row", ROWS)
def test_firefox_cell(firefox: Column, row: str, record_cell: Callable[[CellResult], None]) -> None:
    record_cell(firefox.run(row, FIREFOX_CELLS[row]))
