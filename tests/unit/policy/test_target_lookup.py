"""The guard's look-ups on a tree (policy/targets.py, policy/web.py): an element with its ancestors, and a
browser's address bar outside its pages."""

from __future__ import annotations

from deskhand.policy.targets import find_with_ancestors
from deskhand.policy.web import address_bar
from deskhand.tree.node import Node


def tree() -> Node:
    page = Node("page", "document", children=(Node("in-page", "textbox", "Address bar"),))
    toolbar = Node("bar-parent", "toolbar", children=(Node("bar", "textbox", "Address and search bar"),))
    side = Node("side", "panel", children=(Node("deep", "panel", children=(Node("leaf", "button", "Go"),)),))
    return Node("root", "frame", children=(page, side, toolbar))


def test_each_element_is_found_with_the_ancestors_a_walk_gives_it() -> None:
    root = tree()
    for node, ancestors in root.walk_with_ancestors():
        assert find_with_ancestors(root, node.ref) == (node, ancestors)
    assert find_with_ancestors(root, "nowhere") is None


def test_the_address_bar_is_never_a_field_inside_a_page() -> None:
    bar = address_bar(tree())
    assert bar is not None and bar.ref == "bar"
    only_page = Node("root", "frame", children=(tree().children[0],))
    assert address_bar(only_page) is None


def test_firefox_names_its_bar_after_its_search_engine_once_it_knows_it() -> None:
    for name in (
        "Search or enter address",
        "Search with Google or enter address",
        "Search with DuckDuckGo or enter address",
    ):
        firefox = Node("root", "frame", children=(Node("bar", "combobox", name),))
        bar = address_bar(firefox)
        assert bar is not None and bar.ref == "bar"
    assert address_bar(Node("root", "frame", children=(Node("x", "combobox", "Search with Google"),))) is None
