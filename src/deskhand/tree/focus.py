"""Where the keyboard focus is in an app's tree: the one question both the guard (where typed keys go) and the
steps (whether the app has placed its focus yet) ask."""

from __future__ import annotations

from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES, State


def focused_in(root: Node) -> tuple[Node, tuple[Node, ...]] | None:
    """The element holding the focus under ``root`` (not a window, not the root itself), with its ancestors."""
    for node, ancestors in root.walk_with_ancestors():
        if State.FOCUSED in node.states and node.role not in WINDOW_ROLES and node is not root:
            return node, ancestors
    return None
