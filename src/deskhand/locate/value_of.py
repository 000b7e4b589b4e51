"""The value a label names: `Read "Total"` means the number beside "Total", never the word "Total".

In order: the element the label is the label of (LABEL_FOR: some node is LABELLED_BY it), the cell under
a column header, then what sits beside the label on screen (to its right on its row, else just below it:
a definition list, a "Status: Ready" pair of labels).
"""

from __future__ import annotations

from deskhand.errors import AmbiguousMatch
from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

LABEL_LIKE = frozenset({Role.LABEL, Role.TEXT, Role.COLUMNHEADER, Role.ROWHEADER})
_VALUE_ROLES = frozenset(
    {
        Role.LABEL,
        Role.TEXT,
        Role.STATUS,
        Role.CELL,
        Role.PARAGRAPH,
        Role.TEXTBOX,
        Role.SEARCHBOX,
        Role.SPINBUTTON,
        Role.COMBOBOX,
        Role.SLIDER,
        Role.PROGRESSBAR,
        Role.LINK,
    }
)
_MAX_GAP = 300  # px between a label's right edge and its value on the same row
_MAX_DROP = 40  # px between a label's bottom and a value below it
_SLACK = 4


def value_beside(root: Node, label: Node, ancestors: tuple[Node, ...]) -> Node | None:
    """The node holding the value ``label`` names, or None when nothing answers to it."""
    for node in root.walk():
        if node is not label and label.ref in node.labelled_by:
            return node
    if label.role == Role.COLUMNHEADER:
        under = _cell_under(label, ancestors)
        if under is not None:
            return under
    return _beside(root, label)


def _cell_under(header: Node, ancestors: tuple[Node, ...]) -> Node | None:
    table = next((a for a in reversed(ancestors) if a.role == Role.TABLE), None)
    if table is None:
        return None
    rows = [n for n in table.walk() if n.role == Role.ROW]
    head = next((r for r in rows if any(c is header for c in r.children)), None)
    if head is None:
        return None
    column = [c.ref for c in head.children].index(header.ref)
    cells = [r.children[column] for r in rows[rows.index(head) + 1 :] if len(r.children) > column]
    if len(cells) > 1:
        shown = [c.text for c in cells[:8]]
        raise AmbiguousMatch(
            f"The column {header.name!r} has {len(cells)} cells: " + ", ".join(repr(s) for s in shown) + ".",
            candidates=shown,
            hint="Read one cell by its own text, or scope the step to its row.",
        )
    return cells[0] if cells else None


def _beside(root: Node, label: Node) -> Node | None:
    box = label.bounds
    if box is None:
        return None
    right: list[tuple[int, Node]] = []
    below: list[tuple[int, Node]] = []
    for node in root.walk():
        other = node.bounds
        if node is label or other is None or node.role not in _VALUE_ROLES or not node.text.strip():
            continue
        if not is_visible(node) or other.contains(box) or box.contains(other):
            continue
        if _same_row(box, other) and -_SLACK <= other.x - (box.x + box.width) <= _MAX_GAP:
            right.append((other.x - (box.x + box.width), node))
        elif _under(box, other):
            below.append((other.y - (box.y + box.height), node))
    if right:
        return min(right, key=lambda pair: pair[0])[1]
    if below:
        return min(below, key=lambda pair: pair[0])[1]
    return None


def _same_row(a: Bounds, b: Bounds) -> bool:
    a_mid, b_mid = a.y + a.height // 2, b.y + b.height // 2
    return b.y <= a_mid <= b.y + b.height or a.y <= b_mid <= a.y + a.height


def _under(a: Bounds, b: Bounds) -> bool:
    drop = b.y - (a.y + a.height)
    overlaps = b.x < a.x + a.width and a.x < b.x + b.width
    return overlaps and -_SLACK <= drop <= _MAX_DROP
