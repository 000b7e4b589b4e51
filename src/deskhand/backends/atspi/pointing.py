"""Where on an element a pointer reaches it, and what part of a scrolled list is shown.

A click goes to the element's own face (an open expander's caption, not its content); an item of a list,
tree or table counts as shown only inside what the list shows (GTK 4 places scrolled-away rows below it).
"""

from __future__ import annotations

from collections.abc import Mapping

from deskhand.backends.atspi.model import RawNode
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

_SCROLLING_ROLES = frozenset({Role.TABLE, Role.TREE, Role.LIST, Role.LISTBOX})
# Children that are part of their parent's own face (its caption, icon): a click on them is a click on it.
_FACE_ROLES = frozenset({Role.LABEL, Role.TEXT, Role.IMAGE, Role.GENERIC})
_MIN_BAND = 8


def _content(child: Node) -> bool:
    """A child that holds content of its own (a box of controls), not a caption or icon of its parent."""
    return bool(child.children) or child.role not in _FACE_ROLES


def own_point(node: Node) -> tuple[int, int]:
    """Where a click reaches the element itself: its centre, unless a control inside it sits there (an open
    expander's centre is in its content): then its caption, in its own band above its contents."""
    assert node.bounds is not None
    box = node.bounds
    x, y = box.center
    inner = [c.bounds for c in node.children if _content(c) and c.bounds is not None and not c.bounds.empty]
    if not any(b.x <= x < b.x + b.width and b.y <= y < b.y + b.height for b in inner):
        return x, y
    top = min(b.y for b in inner)
    band = top - box.y
    if band < _MIN_BAND:
        return x, y
    # The caption starts at the leading edge (an expander's arrow, then its label): aim into it.
    return box.x + min(box.width // 2, 3 * band), box.y + band // 2


def centre_in(node: Node, box: Bounds) -> bool:
    """``node``'s centre lies within ``box`` (a row scrolled under a header or past the edge is not shown)."""
    if node.bounds is None:
        return False
    x, y = node.bounds.center
    return box.x <= x < box.x + box.width and box.y <= y < box.y + box.height


def _cut(a: Bounds, b: Bounds) -> Bounds:
    """The part of ``a`` inside ``b``."""
    left, top = max(a.x, b.x), max(a.y, b.y)
    right, bottom = min(a.x + a.width, b.x + b.width), min(a.y + a.height, b.y + b.height)
    return Bounds(left, top, max(right - left, 0), max(bottom - top, 0))


def scrolling_clip(nodes: Mapping[str, RawNode], path: str) -> Bounds | None:
    """What the nearest list, tree or table around ``path`` shows: its box cut by every box around it (a
    GTK 4 list is as tall as all its rows; the scrolled window around it shows a part). None when the
    element is in no list."""
    current = nodes.get(path)
    clip: Bounds | None = None
    scrolling = False
    for _ in range(512):
        if current is None or not current.parent:
            break
        current = nodes.get(current.parent)
        if current is None or current.role == Role.APPLICATION:
            break
        scrolling = scrolling or current.role in _SCROLLING_ROLES
        if scrolling and current.bounds is not None and not current.bounds.empty:
            clip = current.bounds if clip is None else _cut(clip, current.bounds)
    return clip if scrolling and clip is not None and not clip.empty else None
