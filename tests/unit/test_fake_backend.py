from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.backends.base import Backend
from deskhand.backends.fake import FakeBackend
from deskhand.errors import ActionFailed, BackendUnavailable, NodeGone
from deskhand.tree.match import find_all
from deskhand.tree.node import Node
from deskhand.tree.selector import Selector

TREES = Path(__file__).resolve().parents[1] / "fixtures" / "trees"
SHOWN = frozenset({"visible", "showing", "enabled", "sensitive", "focusable"})


def form() -> Node:
    def n(ref: str, role: str, name: str = "", *children: Node, **fields: object) -> Node:
        fields.setdefault("states", SHOWN)
        return Node(ref=ref, role=role, name=name, children=children, **fields)  # type: ignore[arg-type]

    return n(
        "win",
        "window",
        "Form",
        n("name", "textbox", "Name", value="", states=SHOWN | {"focused", "editable"}),
        n("note", "textbox", "Note", value="x"),
        n("sub", "checkbox", "Subscribe"),
        n("r1", "radio", "Basic", states=SHOWN | {"checked"}),
        n("r2", "radio", "Pro"),
        n("plan", "combobox", "Plan", n("menu", "menu", "", n("o1", "menuitem", "Basic"), n("o2", "menuitem", "Pro"))),
        n("ok", "button", "OK"),
        states=SHOWN | {"active"},
    )


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend({"demo": form()})


def node(backend: FakeBackend, ref: str) -> Node:
    return backend.refresh(ref)


def test_it_is_a_backend(backend: FakeBackend) -> None:
    typed: Backend = backend  # mypy checks the protocol's signatures here
    assert isinstance(typed, Backend)
    assert backend.name == "fake"


def test_applications_list_window_children(backend: FakeBackend) -> None:
    (app,) = backend.applications()
    assert (app.ref, app.name, app.toolkit) == ("app:demo", "demo", "fake")
    assert [(w.ref, w.title, w.role, w.active) for w in app.windows] == [("win", "Form", "window", True)]
    assert backend.snapshot("demo") is backend.snapshot("app:demo")


def test_refresh_reads_one_element_without_children(backend: FakeBackend) -> None:
    plan = backend.refresh("plan")
    assert plan.name == "Plan" and plan.children == ()
    with pytest.raises(NodeGone, match="'nope'"):
        backend.refresh("nope")
    with pytest.raises(NodeGone):
        backend.snapshot("no-app")


def test_set_text_and_type_text(backend: FakeBackend) -> None:
    backend.set_text("note", "hello")
    assert node(backend, "note").value == "hello"
    backend.type_text("Ada")
    backend.type_text(" L.")
    assert node(backend, "name").value == "Ada L."
    backend.focus("note")
    backend.type_text("!")
    assert node(backend, "note").value == "hello!"
    assert not node(backend, "name").has("focused")


def test_click_toggles_checkboxes_checks_radios_and_moves_focus(backend: FakeBackend) -> None:
    backend.click("sub")
    assert node(backend, "sub").has("checked") and node(backend, "sub").has("focused")
    backend.click("sub")
    assert not node(backend, "sub").has("checked")
    backend.click("r2")
    assert node(backend, "r2").has("checked") and not node(backend, "r1").has("checked")
    backend.set_checked("sub", True)
    backend.set_checked("sub", True)
    assert node(backend, "sub").has("checked")


def test_press_enter_activates_the_focused_element(backend: FakeBackend) -> None:
    backend.focus("sub")
    backend.press("space")
    assert node(backend, "sub").has("checked")
    backend.press("Tab")
    assert backend.calls("press") == [("space",), ("Tab",)]


def test_select_option(backend: FakeBackend) -> None:
    backend.select_option("plan", "Pro")
    assert node(backend, "plan").value == "Pro"
    assert node(backend, "o2").has("selected") and not node(backend, "o1").has("selected")
    with pytest.raises(ActionFailed, match="no option 'Gold'") as caught:
        backend.select_option("plan", "Gold")
    assert "'Basic', 'Pro'" in caught.value.message


def test_version_and_wait_for_change(backend: FakeBackend) -> None:
    backend.snapshot("demo")
    start = backend.version()
    assert backend.wait_for_change(5.0) is False
    backend.set_text("note", "changed")
    assert backend.version() == start + 1
    assert backend.wait_for_change(5.0) is True
    assert backend.wait_for_change(5.0) is False
    backend.scroll("note", "down")
    assert backend.version() == start + 1


def test_every_call_is_logged(backend: FakeBackend) -> None:
    backend.applications()
    backend.click("ok", count=2)
    backend.scroll_into_view("ok")
    backend.activate_window("win")
    assert backend.log == [
        ("applications",),
        ("click", "ok", "left", 2),
        ("scroll_into_view", "ok"),
        ("activate_window", "win"),
    ]


def test_reactions_update_and_remove(backend: FakeBackend) -> None:
    dialog = Node(ref="dlg", role="dialog", name="Saved", states=SHOWN)

    def open_dialog(fake: FakeBackend) -> None:
        root = fake.snapshot("demo")
        fake.set_app("demo", Node(ref=root.ref, role=root.role, name=root.name, children=(*root.children, dialog)))

    backend.on_click("ok", open_dialog)
    backend.click("ok")
    assert [w.title for w in backend.applications()[0].windows] == ["Form", "Saved"]
    backend.update("dlg", name="Saved!")
    assert backend.refresh("dlg").name == "Saved!"
    backend.remove("dlg")
    with pytest.raises(NodeGone):
        backend.click("dlg")
    backend.remove("app:demo")
    assert backend.applications() == []


def test_screenshot_is_a_png_of_the_asked_size(backend: FakeBackend) -> None:
    from deskhand.tree.node import Bounds

    png = backend.screenshot(Bounds(0, 0, 20, 10))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 20 and int.from_bytes(png[20:24], "big") == 10


def test_close_ends_the_session(backend: FakeBackend) -> None:
    backend.close()
    with pytest.raises(BackendUnavailable, match="closed"):
        backend.applications()


def test_from_files_loads_fixture_trees() -> None:
    backend = FakeBackend.from_files(TREES / "zenity_form.json", TREES / "gtk_save_dialog.json")
    assert [app.name for app in backend.applications()] == ["zenity", "mousepad"]
    tree = backend.snapshot("zenity")
    (email,) = find_all(tree, Selector.parse('label="Email"'))
    backend.click(email.ref)
    backend.type_text("ada@example.com")
    after = find_all(backend.snapshot("zenity"), Selector.parse('label="Email"'))
    assert after[0].node.value == "ada@example.com" and after[0].node.has("focused")
