"""Where a browser's keys go: into the page, or into the browser's own controls.

A page marks ``document.activeElement`` as focused whether or not the page has the keyboard: after Ctrl+L
the address bar takes the keys while the field typed into last still reads as focused. The browser's own
tree says where the keyboard is (its address bar, toolbar and menus carry FOCUSED only while they hold it;
the marks on its web documents are not kept up to date, so they are not asked), and the guard must judge a
key where it will go.
"""

from __future__ import annotations

from dataclasses import replace

from deskhand.tree.node import Node
from deskhand.tree.roles import State

WEB_DOCUMENT = "document web"


def browser_controls_have_focus(root: Node) -> bool:
    """True when an element of the browser itself (outside every web document) holds the keyboard."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.raw_role == WEB_DOCUMENT:
            continue
        if node is not root and State.FOCUSED in node.states:
            return True
        stack.extend(node.children)
    return False


def without_focus(node: Node) -> Node:
    """``node`` with no FOCUSED mark in it (only the path down to a marked node is copied)."""
    children = tuple(without_focus(child) for child in node.children)
    changed = any(a is not b for a, b in zip(children, node.children, strict=True))
    if State.FOCUSED not in node.states and not changed:
        return node
    return replace(node, states=node.states - {State.FOCUSED}, children=children)
