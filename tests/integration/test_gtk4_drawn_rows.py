"""GTK 4.8's tree view lists no rows to AT-SPI: a row is found on screen and a row below the fold is scrolled
into view with the wheel, like a person (locate/drawn_views.py), through the guard. Judged by the app's own
drawing: the row clicked is painted selected (Adwaita's accent blue), read back from the view's pixels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fixtures.painted_rows import Colour, band_colour, painted_selected

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.backend import ScreenBackend
from deskhand.locate.desktop import Desktop
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.run import Runner, RunOutcome, StepInfo
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

APP = "gtk4-widget-factory"
# Each OCR read is bounded by the step's time: a whole-window read takes seconds on a loaded two-core machine.
STEP_S = 40.0


class Rig:
    def __init__(self, virtual: VirtualDesktop) -> None:
        screen = ScreenBackend(CompositeBackend(virtual.a11y_address, display=virtual.display), display=virtual.display)
        self.store = RunStore(virtual.temp_dir / "runs.db")
        self.guarded = GuardedBackend(screen, Guard(events=self.store))
        self.desktop = Desktop(self.guarded, timeout=STEP_S)
        self.runner = Runner(self.desktop, DesktopLauncher(self.desktop, virtual), self.store, timeout=STEP_S)
        self.runner.on_step = self.on_step

    def on_step(self, info: StepInfo) -> None:
        policy = Policy.from_workflow(info.workflow)
        self.guarded.guard.policy = policy
        self.guarded.begin_step(policy.for_step(info.run_id, info.step))

    def run(self, folder: Path, *steps: str) -> RunOutcome:
        body = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
        path = folder / "wf.md"
        path.write_text(f"---\nname: drawn-rows\napps: [{APP}]\n---\n{body}\n", encoding="utf-8")
        return self.runner.run(load_workflow(path), {}, use_lock=False)

    def band_colour(self, words: str) -> Colour | None:
        app = self.desktop.find_app(APP)
        assert app is not None
        return band_colour(self.desktop.backend, app.ref, words)


@pytest.fixture
def rig() -> Iterator[Rig]:
    with VirtualDesktop() as virtual:
        virtual.launch(["env", "GSK_RENDERER=cairo", APP], timeout=40)
        made = Rig(virtual)
        try:
            yield made
        finally:
            made.store.close()
            made.desktop.close()


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
