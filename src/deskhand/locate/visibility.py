"""Whether an element is on screen for a person, across toolkits."""

from __future__ import annotations

from deskhand.tree.node import Node
from deskhand.tree.roles import State


def is_visible(node: Node) -> bool:
    if State.SHOWING in node.states:
        return node.bounds is None or not node.bounds.empty
    # GTK4 sets VISIBLE but not SHOWING, so VISIBLE alone counts when the node has a place on screen;
    # GTK3 widgets in an unmapped popover (a file chooser's "Create Folder" name field) are VISIBLE too,
    # but the backend gives them no bounds, and they must not make the shown field ambiguous.
    if State.VISIBLE in node.states:
        return node.bounds is not None and not node.bounds.empty
    return False


def is_placed(node: Node) -> bool:
    """Shown at a place on screen a person can point at. A toolkit marks a new popup's items showing before
    it gives them a place (GTK3 answers INT_MIN extents until the menu is laid out), and a click needs one."""
    box = node.bounds
    return is_visible(node) and box is not None and not box.empty and box.x >= 0 and box.y >= 0
