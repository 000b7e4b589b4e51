"""Browser commands refused by what they do, whatever reaches them: the developer tools (their console runs any
script on the page, unjudged) and Paste and go (the browser goes to the clipboard's text, which a page can set
with any click). The old guard let F12, Ctrl+Shift+J and a click on "Paste and go" through on an allowed page."""

from __future__ import annotations

import pytest
from tests.unit.policy.test_guard_click_point import SHOWN, Pointing, box, guarded, node
from tests.unit.policy.test_policy_guard import inputs

from deskhand.errors import PolicyDenied
from deskhand.policy.rules import Policy
from deskhand.tree.node import Node

POLICY = Policy(apps=("chromium", "mousepad"), sites=("https://example.test",))


def desktop() -> Pointing:
    inspect = node("inspect-btn", "button", "Inspect", box(10, 200, 100, 20))  # the page's own button
    field = Node(ref="q", role="textbox", name="Query", states=SHOWN | {"focusable", "editable", "focused"})
    page = node("doc", "document", "Shop", box(0, 100, 800, 600), inspect, field)
    bar = Node(
        ref="bar", role="textbox", name="Address and search bar", states=SHOWN, value="https://example.test/shop"
    )
    menu = node(
        "menu",
        "menu",
        "",
        box(0, 40, 200, 100),
        node("paste-go", "menuitem", "Paste and go", box(0, 40, 200, 20)),
        node("paste-search", "menuitem", "Paste & Search", box(0, 60, 200, 20)),
        node("inspect-item", "menuitem", "Inspect", box(0, 80, 200, 20)),
        node("copy", "menuitem", "Copy", box(0, 100, 200, 20)),
    )
    new_tab = node("new-tab", "button", "New Tab", box(300, 0, 30, 30))
    window = node("w", "window", "Shop - Chromium", box(0, 0, 800, 700), new_tab, bar, menu, page)
    text = Node(
        ref="text", role="textbox", name="Text", states=SHOWN | {"focusable", "editable", "focused", "multiline"}
    )
    editor = node("ew", "window", "Notes - Mousepad", box(850, 0, 400, 400), text)
    return Pointing(
        {
            "Chromium": Node(ref="root", role="application", name="Chromium", children=(window,)),
            "Mousepad": Node(ref="mp", role="application", name="Mousepad", children=(editor,)),
        }
    )


@pytest.mark.parametrize("keys", ["F12", "Ctrl+Shift+I", "Ctrl+Shift+J", "Ctrl+Shift+C", "Control_L+Shift_L+k"])
def test_keys_that_open_the_developer_tools_are_refused_in_a_browser(keys: str) -> None:
    app = desktop()
    shield = guarded(app, POLICY)
    shield.focus("q")
    with pytest.raises(PolicyDenied, match="developer tools"):
        shield.press(keys)
    assert [i for i in inputs(app) if i[0] == "press"] == []


def test_the_same_keys_elsewhere_are_the_apps_own() -> None:
    app = desktop()
    shield = guarded(app, POLICY)
    shield.focus("text")
    shield.press("Ctrl+Shift+C")
    assert ("press", "Ctrl+Shift+C") in inputs(app)


@pytest.mark.parametrize(
    ("item", "refused"),
    [("paste-go", "clipboard's text"), ("paste-search", "clipboard's text"), ("inspect-item", "developer tools")],
)
def test_the_browsers_menu_items_for_them_are_refused(item: str, refused: str) -> None:
    app = desktop()
    shield = guarded(app, POLICY)
    with pytest.raises(PolicyDenied, match=refused):
        shield.click(item)
    shield.focus(item)
    with pytest.raises(PolicyDenied, match=refused):
        shield.press("Enter")
    assert [i for i in inputs(app) if i[0] in ("click", "press")] == []


def test_other_menu_items_and_a_pages_own_inspect_button_go_ahead() -> None:
    app = desktop()
    shield = guarded(app, POLICY)
    shield.click("copy")
    shield.click("inspect-btn")
    assert [i[:2] for i in inputs(app) if i[0] == "click"] == [("click", "copy"), ("click", "inspect-btn")]


def test_a_middle_click_on_the_browsers_own_controls_is_refused() -> None:
    # On Linux it opens the X selection's text (which a page sets by selecting it) as an address.
    app = desktop()
    shield = guarded(app, POLICY)
    with pytest.raises(PolicyDenied, match="selected text as an address"):
        shield.click("new-tab", button="middle")
    with pytest.raises(PolicyDenied, match="selected text as an address"):
        shield.click_at("new-tab", 5, 5, button="middle")
    shield.click("new-tab")  # a left click opens a blank tab
    shield.click("inspect-btn", button="middle")  # on the page a middle click is judged as a click
    assert [i[:3] for i in inputs(app) if i[0] == "click"] == [
        ("click", "new-tab", "left"),
        ("click", "inspect-btn", "middle"),
    ]
