"""Labels placed beside or above a field: the toolkits that expose no LABELLED_BY relation (zenity's form
entries have neither a relation nor a name) are read as a person reads the form, by where the words sit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import INTERACTIVE_ROLES, Role, State

# Nodes whose text names a neighbouring field.
LABEL_ROLES: frozenset[str] = frozenset({Role.LABEL, Role.TEXT})
_CHOOSING_CONTAINERS: frozenset[str] = frozenset({Role.LIST, Role.TREE, Role.TABLE})
# Controls that may caption the field beside them (a mail header's "To:" chooser or address-book button).
_CAPTION_CONTROLS: frozenset[str] = frozenset({Role.COMBOBOX, Role.BUTTON})
# A label on the field's row may end this far left of it (form columns leave wide gaps).
_MAX_ROW_GAP = 250
# A label above a field may end this far above it.
_MAX_ABOVE_GAP = 10
# Pixels of slack for labels that overlap their field by a hair.
_SLACK = 4


def positional_labels(root: Node, nodes: list[Node] | None = None) -> dict[str, list[str]]:
    """Field ref → names of the label nodes placed just left of it or directly above it (``nodes``: the
    tree's nodes, when the caller walked it already).

    For toolkits that expose no LABELLED_BY relation (zenity's form entries have neither a relation nor a
    name): each label names the nearest field to its right on its row, else the one directly below.
    """
    every = nodes if nodes is not None else list(root.walk())
    fields = _FieldRows([node for node in every if _is_field(node) and node.bounds is not None])
    # A label that names something by relation (LABEL_FOR) is not guessed onto a neighbour as well.
    related = {ref for node in every if node.labelled_by for ref in node.labelled_by}
    beside: dict[str, list[str]] = {}
    above: dict[str, list[str]] = {}
    for node in every:
        if node.bounds is None or not node.name or node.ref in related:
            continue
        if _is_caption(node):
            # A control that reads as a caption ("To:" choosing a mail header's kind) names the field
            # beside it that has no words of its own.
            near = [f for f in fields.near(node.bounds) if not f.name and not f.labelled_by and f is not node]
            own = {id(part) for part in node.walk()}
            placed = _field_labelled_by_position(node.bounds, [f for f in near if id(f) not in own])
            if placed is not None and placed[1]:
                beside.setdefault(placed[0].ref, []).append(node.name)
            continue
        if node.role not in LABEL_ROLES:
            continue
        if any(child is not node and _is_field(child) for child in node.walk()):
            continue  # a label wrapping its control (Gecko's <label>) names that control, not a neighbour
        placed = _field_labelled_by_position(node.bounds, fields.near(node.bounds))
        if placed is not None:
            field, on_row = placed
            (beside if on_row else above).setdefault(field.ref, []).append(node.name)
    # A label on the field's own row outweighs a heading that happens to sit above it.
    return {**above, **beside}


class _FieldRows:
    """Fields by their top edge, so each label looks only at the fields that could sit on its row or just
    below it (on a page with a 500-row table every label used to scan every cell)."""

    def __init__(self, fields: list[Node]) -> None:
        placed = sorted(enumerate(fields), key=lambda pair: _box(pair[1]).y)
        self._tops = [_box(node).y for _, node in placed]
        self._placed = placed
        self._tallest = max((_box(node).height for node in fields), default=0)

    def near(self, label: Bounds) -> list[Node]:
        """In document order (ties between equally near fields go to the earlier one, as before)."""
        bottom = label.y + label.height
        low = bisect_left(self._tops, min(label.y - self._tallest, bottom - _SLACK))
        high = bisect_right(self._tops, bottom + _MAX_ABOVE_GAP)
        return [node for _, node in sorted(self._placed[low:high], key=lambda pair: pair[0])]


def _box(node: Node) -> Bounds:
    assert node.bounds is not None
    return node.bounds


def label_of(node: Node, by_ref: dict[str, Node], positional: dict[str, list[str]]) -> str:
    """The text that labels ``node``: its LABELLED_BY names, else a label placed next to it."""
    related = [by_ref[ref].name for ref in node.labelled_by if ref in by_ref and by_ref[ref].name]
    return ", ".join(related or positional.get(node.ref, []))


def _is_caption(node: Node) -> bool:
    """A button or choice whose name ends in a colon, as captions do ("To:", "Cc:")."""
    return node.role in _CAPTION_CONTROLS and node.name.rstrip().endswith(":")


def _is_field(node: Node) -> bool:
    if node.role in _CHOOSING_CONTAINERS:
        # A list (tree, table) whose rows can be chosen is the field its label names, not its first row
        # (Qt's list views are "list", not "listbox", and expose no LABELLED_BY).
        return any(State.SELECTABLE in child.states for child in node.children)
    return node.role in INTERACTIVE_ROLES and node.role not in LABEL_ROLES


def _field_labelled_by_position(label: Bounds, fields: Iterable[Node]) -> tuple[Node, bool] | None:
    """The field just right of the label on its row (True), else the one directly below it (False)."""
    right: list[tuple[int, Node]] = []
    below: list[tuple[int, Node]] = []
    label_right = label.x + label.width
    label_bottom = label.y + label.height
    label_middle = label.y + label.height // 2
    for node in fields:
        box = node.bounds
        assert box is not None
        middle = box.y + box.height // 2
        same_row = box.y <= label_middle <= box.y + box.height or label.y <= middle <= label_bottom
        gap = box.x - label_right
        if same_row and -_SLACK <= gap <= _MAX_ROW_GAP:
            right.append((gap, node))
            continue
        drop = box.y - label_bottom
        overlaps = box.x < label_right and label.x < box.x + box.width
        if overlaps and -_SLACK <= drop <= _MAX_ABOVE_GAP:
            below.append((drop, node))
    if right:
        return min(right, key=lambda pair: pair[0])[1], True
    if below:
        return min(below, key=lambda pair: pair[0])[1], False
    return None
