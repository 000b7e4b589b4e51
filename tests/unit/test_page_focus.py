from __future__ import annotations

from deskhand.backends.page_focus import WEB_DOCUMENT, browser_controls_have_focus, without_focus
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

FOCUSED = frozenset({State.FOCUSED})


def browser(bar_focused: bool) -> Node:
    bar = Node("bar", Role.TEXTBOX, "Address and search bar", states=FOCUSED if bar_focused else frozenset())
    # Chromium leaves FOCUSED on its web documents after the keys moved on: those marks say nothing.
    page = Node("doc", Role.DOCUMENT, states=FOCUSED, raw_role=WEB_DOCUMENT)
    return Node(
        "app",
        Role.APPLICATION,
        "Chromium",
        states=FOCUSED,
        children=(Node("tools", Role.TOOLBAR, children=(bar,)), page),
    )


def test_the_address_bar_holding_the_keys_is_the_browsers_own_focus() -> None:
    assert browser_controls_have_focus(browser(bar_focused=True))


def test_a_focused_web_document_is_not_the_browsers_own_focus() -> None:
    assert not browser_controls_have_focus(browser(bar_focused=False))


def test_without_focus_unmarks_only_the_path_to_the_marked_node() -> None:
    field = Node("f", Role.TEXTBOX, "Reply", states=frozenset({State.FOCUSED, State.EDITABLE}))
    other = Node("o", Role.BUTTON, "Send")
    form = Node("form", Role.FORM, children=(field, other))
    out = without_focus(form)
    assert out.children[0].states == frozenset({State.EDITABLE})
    assert out.children[1] is other
    assert without_focus(other) is other
