"""GTK 4.8's combo box names no options to AT-SPI: an option is chosen by sight in the popup its button opens
(backends/atspi/options_by_sight.py) and read back from the combo's face (locate/combo_face.py), through the
guard. Judged by the app's own drawing: the combo's face, read by the test from a screenshot of its own."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from tests.integration.guarded_rig import GuardedRig, rig_on_own_desktop

from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.ocr import shared_engine
from deskhand.runner.run import RunOutcome
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.order import reading_order
from deskhand.tree.roles import Role
from deskhand.tree.unlisted_options import face_of

pytestmark = pytest.mark.desktop

APP = "gtk4-widget-factory"
STEP_S = 20.0


class Rig(GuardedRig):
    def __init__(self, virtual: VirtualDesktop) -> None:
        self.plain = CompositeBackend(virtual.a11y_address, display=virtual.display)
        super().__init__(virtual, CompositeBackend(virtual.a11y_address, display=virtual.display), timeout=STEP_S)

    def run(self, folder: Path, *steps: str, front: str = "") -> RunOutcome:
        return self.run_steps(folder, "gtk4-combo", APP, *steps, front=front)

    def close(self) -> None:
        super().close()
        self.plain.close()

    def face(self, position: int) -> str:
        """What the combo box at ``position`` on screen (0-based) shows, read by the test from its own
        screenshot of the combo's face (unguarded: the test's own look)."""
        app = next(a for a in self.plain.applications() if a.name == APP)
        root = self.plain.snapshot(app.ref)
        combos = [n for n in root.walk() if n.role == Role.COMBOBOX and _shown_here(self.plain, n)]
        face = face_of(reading_order(combos, lambda n: n)[position])
        assert face is not None and face.bounds is not None
        with Image.open(io.BytesIO(self.plain.screenshot(face.bounds))) as shot:
            phrases = shared_engine().read(shot.convert("RGB"), timeout=STEP_S)
        return " ".join(p.text for p in phrases if p.confidence >= 0.5)

    def popups(self) -> list[tuple[int, int, int, int]]:
        boxes: list[tuple[int, int, int, int]] = self.plain.atspi.xinput.popups()
        return boxes


def _shown_here(backend: CompositeBackend, node: object) -> bool:
    """GTK 4 keeps the places of widgets on stack pages not shown: the app says whether one is here."""
    bounds = getattr(node, "bounds", None)
    if bounds is None or bounds.empty:
        return False
    x, y = bounds.center
    return backend.contains_point(getattr(node, "ref", ""), x, y)


@pytest.fixture
def rig() -> Iterator[Rig]:
    with rig_on_own_desktop(Rig, launch=["env", "GSK_RENDERER=cairo", APP]) as made:
        yield made


def test_an_option_is_chosen_by_sight_and_read_back_from_the_face(rig: Rig, tmp_path: Path) -> None:
    outcome = rig.run(tmp_path, 'Switch to "GTK Widget Factory"', 'Click "Page 1"')
    assert outcome.status == "succeeded", (outcome.error or {}).get("message")
    assert rig.face(2) == "Andrea"

    outcome = rig.run(tmp_path, 'Select "Benjamin" from the third combo box')
    assert outcome.status == "succeeded", (outcome.error or {}).get("message")
    assert rig.face(2) == "Benjamin"
    assert rig.popups() == []  # the list closed with the click

    outcome = rig.run(tmp_path, 'Select "Otto" from the third combo box')
    assert outcome.status == "succeeded", (outcome.error or {}).get("message")
    assert rig.face(2) == "Otto"


def test_an_option_the_list_lacks_fails_naming_what_it_shows(rig: Rig, tmp_path: Path) -> None:
    outcome = rig.run(tmp_path, 'Switch to "GTK Widget Factory"', 'Click "Page 1"')
    assert outcome.status == "succeeded", (outcome.error or {}).get("message")
    outcome = rig.run(tmp_path, 'Select "Right" from the third combo box')
    assert outcome.status == "failed"
    message = str((outcome.error or {}).get("message"))
    assert "'Right' is not in the list" in message and "'Orville'" in message, message
    assert rig.popups() == []  # closed again, as a person would
    assert rig.face(2) == "Andrea"


def test_the_guard_judges_the_choice_before_the_list_opens(rig: Rig, tmp_path: Path) -> None:
    outcome = rig.run(tmp_path, 'Switch to "GTK Widget Factory"', 'Click "Page 1"')
    assert outcome.status == "succeeded", (outcome.error or {}).get("message")
    # A step that needs a person's go-ahead, with nobody to give it: nothing is clicked.
    outcome = rig.run(tmp_path, 'Select "Benjamin" from the third combo box', front="confirm: [1]\n")
    assert outcome.status != "succeeded"
    assert rig.popups() == []
    assert rig.face(2) == "Andrea"
