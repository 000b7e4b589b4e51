"""A known GTK3 field filled from the caller's thread (direct_line.py, write_back.py): the app holds the text
(zenity prints it), the field's own echo events leave the event-kept tree current, a change the app makes
afterwards is still seen (and read by ``text_now``), and a field whose app quit is reported gone, not waited on."""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import NodeGone
from deskhand.locate import Desktop
from deskhand.sandbox import LaunchedApp, VirtualDesktop

pytestmark = pytest.mark.desktop

ROOT = "/org/a11y/atspi/accessible/root"
FORM = ["zenity", "--forms", "--title=Direct", "--add-entry=Name", "--add-entry=City"]


@pytest.fixture(scope="module")
def session() -> Iterator[tuple[VirtualDesktop, AtspiBackend, Desktop]]:
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=10.0) as desk:
            yield virtual, backend, desk


def printed(app: LaunchedApp) -> list[str]:
    psutil.Process(app.pid).wait(10)
    lines = app.log_path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("(") and "CRITICAL" not in line]


def test_a_known_field_is_written_from_the_callers_thread_and_stays_current(
    session: tuple[VirtualDesktop, AtspiBackend, Desktop],
) -> None:
    virtual, backend, desk = session
    app = virtual.launch(FORM)
    form = desk.app("zenity").window("Direct")
    ref = form.get_by_label("Name").resolve().ref
    bus_name = ref.split("|", 1)[0]
    assert backend.direct_line(bus_name) is not None, "GTK3 offers a private socket: the direct line is used"
    path = ref.split("|", 1)[1]
    backend.wait_idle(quiet_s=0.2, timeout=3.0)
    backend.snapshot(f"{bus_name}|{ROOT}")  # the start-up's events read: the field is known as it is
    for text in ("Ada", "Ada Lovelace", ""):
        assert path not in backend._trees[bus_name].dirty_props
        node = backend.set_text_and_read(ref, text)
        assert node.value == text
        backend.wait_idle(quiet_s=0.2, timeout=3.0)  # the write's TextChanged events have arrived
        tree = backend._trees[bus_name]
        assert path not in tree.dirty_props, f"the echo of writing {text!r} marked the field for reading again"
        assert not tree.writes, "the write was not kept in the model once the loop ran"
        assert tree.nodes[path].value == text
        assert backend.current(ref).value == text
    backend.set_text_and_read(ref, "Grace Hopper")
    form.get_by_role("button", name="OK").click()
    assert printed(app) == ["Grace Hopper|"]


def test_a_change_the_app_makes_after_a_write_is_seen(session: tuple[VirtualDesktop, AtspiBackend, Desktop]) -> None:
    virtual, backend, desk = session
    app = virtual.launch(FORM)
    form = desk.app("zenity").window("Direct")
    field = form.get_by_label("City")
    ref = field.resolve().ref
    assert backend.set_text_and_read(ref, "Par").value == "Par"
    backend.focus(ref)
    backend.press("End")
    backend.type_text("is")  # X keys: the app changes its own text
    seen = ""
    for _ in range(100):  # the event-kept tree follows the typing
        seen = field.resolve().node.value or ""
        if seen == "Paris":
            break
        backend.wait_for_change(0.1)
    assert seen == "Paris"
    assert backend.text_now(ref) == "Paris"  # what typing checks each run by: one call from this thread
    form.get_by_role("button", name="OK").click()
    assert printed(app) == ["|Paris"]


def test_a_field_whose_app_quit_is_gone(session: tuple[VirtualDesktop, AtspiBackend, Desktop]) -> None:
    virtual, backend, desk = session
    app = virtual.launch(FORM)
    ref = desk.app("zenity").window("Direct").get_by_label("Name").resolve().ref
    backend.set_text_and_read(ref, "Ada")
    virtual.stop_app(app)
    with pytest.raises(NodeGone):
        backend.set_text_and_read(ref, "Bea")
