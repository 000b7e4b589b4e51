"""The backends the contract suite holds to one standard: the fake over a recorded tree, and AT-SPI live.

Both serve the same app, the Qt form of tests/apps/qt_form.py: the fake from a tree recorded off the real
app (qt_form_tree.json, written by ``deskhand inspect --json``'s serializer), AT-SPI and the composite (AT-SPI
with CDP for web pages) from the app itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from contract_subjects import APP_NAME, Subject

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.composite import CompositeBackend
from deskhand.backends.fake import FakeBackend
from deskhand.sandbox import VirtualDesktop

HERE = Path(__file__).resolve().parent
QT_FORM = HERE.parent / "apps" / "qt_form.py"
RECORDED = HERE / "qt_form_tree.json"


@pytest.fixture(
    scope="module",
    params=[
        "fake",
        pytest.param("atspi", marks=pytest.mark.desktop),
        pytest.param("composite", marks=pytest.mark.desktop),
    ],
)
def subject(request: pytest.FixtureRequest) -> Iterator[Subject]:
    if request.param == "fake":
        fake = FakeBackend.from_files(RECORDED)
        yield Subject(fake, APP_NAME)
        return
    with VirtualDesktop() as virtual:
        virtual.launch([sys.executable, str(QT_FORM)], timeout=30)
        backend: AtspiBackend | CompositeBackend
        if request.param == "atspi":
            backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        else:
            backend = CompositeBackend(virtual.a11y_address, display=virtual.display)
        try:
            yield Subject(backend, APP_NAME)
        finally:
            backend.close()
