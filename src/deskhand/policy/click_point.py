"""What a click lands on: the elements inside the clicked one that lie under the point the pointer goes to.

A click on an element goes to its centre (or, for a click at a point, that point), and whatever control sits
there inside it takes the press: a click on a plain panel whose middle is a "Delete" button presses Delete. So
a click is judged on the clicked element and on every control inside it under the point, the strictest
judgement standing (a page's own hit test at click time refuses an element covered by one outside it:
``backends/browser/page.js``).
"""

from __future__ import annotations

from collections.abc import Iterator

from deskhand.policy.rules import PRESSABLE_ROLES
from deskhand.policy.targets import Seen
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

# What may take a press differently from the element around it: the roles a person presses, and links.
_CONTROL_ROLES = PRESSABLE_ROLES | {Role.CHECKBOX, Role.RADIO, Role.SWITCH, Role.OPTION, Role.TAB}
_PLAIN = frozenset({Role.GENERIC, Role.UNKNOWN})
_MAX_DEPTH = 64  # a page nested deeper than this is not looked into further


def click_point(node: Node, offset: tuple[int, int] | None) -> tuple[int, int] | None:
    """Where a click on ``node`` goes, in its tree's coordinates: its centre, or ``offset`` from its corner."""
    box = node.bounds
    if box is None or box.width <= 0 or box.height <= 0:
        return None
    return box.center if offset is None else (box.x + offset[0], box.y + offset[1])


def controls_under(seen: Seen, point: tuple[int, int]) -> Iterator[Seen]:
    """The controls inside ``seen``'s element whose box holds ``point``, outermost first (``seen`` itself not
    included), each with its ancestors."""
    if seen.node is None:
        return
    stack: list[tuple[Node, tuple[Node, ...], int]] = [(seen.node, seen.ancestors, 0)]
    while stack:
        node, ancestors, depth = stack.pop()
        if depth >= _MAX_DEPTH:
            continue
        inner = (*ancestors, node)
        for child in reversed(node.children):
            if child.bounds is not None and not _holds(child.bounds, point):
                continue
            if child.bounds is not None and _is_control(child):
                yield Seen(child, seen.app, seen.root, inner)
            stack.append((child, inner, depth + 1))


def _is_control(node: Node) -> bool:
    if node.attributes.get("href"):
        return True
    # A nameless panel or box means nothing to the policy (no word to weigh, nothing it submits): not judged.
    return node.role in _CONTROL_ROLES and (bool(node.name) or node.role not in _PLAIN)


def _holds(box: Bounds, point: tuple[int, int]) -> bool:
    x, y = point
    return box.x <= x < box.x + box.width and box.y <= y < box.y + box.height
