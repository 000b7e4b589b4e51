"""Coverage matrix, Qt column: the PySide6 gallery (tests/apps/qt_gallery.py), started once for the column."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.coverage.cells import Column
from tests.coverage.gallery import gallery_cells
from tests.coverage.matrix import ROWS, CellResult

from deskhand.backends.composite import CompositeBackend
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop
GALLERY = Path(__file__).resolve().parents[1] / "apps" / "qt_gallery.py"
CELLS = gallery_cells("qt")


@pytest.fixture(scope="module")
def column(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Column]:
    with VirtualDesktop() as virtual:
        app = virtual.launch([sys.executable, str(GALLERY)], timeout=30)
        log = app.log_path
        with Desktop(CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=5.0) as desktop:
            column = Column(
                "qt",
                virtual,
                desktop,
                app.name,
                tmp_path_factory.mktemp("qt"),
                output=lambda: log.read_text(errors="replace").splitlines(),
            )
            column.connect = lambda: Desktop(
                CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=5.0
            )
            yield column
            column.close()


@pytest.mark.parametrize("row", ROWS)
def test_qt_cell(column: Column, row: str, record_cell: Callable[[CellResult], None]) -> None:
    record_cell(column.run(row, CELLS[row]))
