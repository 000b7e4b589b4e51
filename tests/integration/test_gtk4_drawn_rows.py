"""GTK 4.8's tree view lists no rows to AT-SPI: a row is found on screen and a row below the fold is scrolled
into view with the wheel, like a person (locate/drawn_views.py), through the guard. Judged by the app's own
drawing: the row clicked is painted selected (Adwaita's accent blue), read back from the view's pixels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fixtures.painted_rows import Colour, band_colour, painted_selected
from tests.integration.guarded_rig import GuardedRig, rig_on_own_desktop

from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.backend import ScreenBackend
from deskhand.runner.run import RunOutcome
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

APP = "gtk4-widget-factory"
# Each OCR read is bounded by the step's time: a whole-window read takes seconds on a loaded two-core machine.
STEP_S = 40.0


class Rig(GuardedRig):
    def __init__(self, virtual: VirtualDesktop) -> None:
        screen = ScreenBackend(CompositeBackend(virtual.a11y_address, display=virtual.display), display=virtual.display)
        super().__init__(virtual, screen, timeout=STEP_S)

    def run(self, folder: Path, *steps: str) -> RunOutcome:
        return self.run_steps(folder, "drawn-rows", APP, *steps)

    def band_colour(self, words: str) -> Colour | None:
        app = self.desktop.find_app(APP)
        assert app is not None
        return band_colour(self.desktop.backend, app.ref, words)


@pytest.fixture
def rig() -> Iterator[Rig]:
    with rig_on_own_desktop(Rig, launch=["env", "GSK_RENDERER=cairo", APP]) as made:
        yield made


def test_tree_view_rows_are_found_on_screen_and_scrolled_into_view(rig: Rig, tmp_path: Path) -> None:
    outcome = rig.run(tmp_path, 'Switch to "GTK Widget Factory"', 'Click "Page 3"', 'Click "Charlemagne"')
    assert outcome.status == "succeeded", outcome.error
    assert painted_selected(rig.band_colour("Charlemagne"))
    assert rig.band_colour("Attila the Hun") is None  # below the fold: not shown yet

    outcome = rig.run(tmp_path, 'Click "Attila the Hun"')
    assert outcome.status == "succeeded", outcome.error
    assert painted_selected(rig.band_colour("Attila the Hun"))
    assert rig.band_colour("Charlemagne") is None  # the view was scrolled down to it

    # Words the view never shows: scrolled through to both ends, then a clear error naming what it did.
    outcome = rig.run(tmp_path, 'Click "Pippin the Hunchback"')
    assert outcome.status == "failed"
    message = str((outcome.error or {}).get("message"))
    assert "GtkTreeView" in message and "scrolled through" in message, message
