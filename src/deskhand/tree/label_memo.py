"""The last search by label, reused while the tree is laid out as it was.

Finding a field by its label reads the whole tree: which label sits beside or above which field
(positional.py), which relation names what. That is most of a fill by label's own work (zenity's form: ~0.25
ms of a ~1.8 ms fill, the rest the app's answer). Filling the field changes its text, and so its node and
the path above it, but no label, name, state or place: the next search would find what the last one found.

So each label search keeps the tree's nodes in walk order and where its matches were among them. The next
search by the same selector compares the new walk with the kept one, node by node: the same object (an
unchanged subtree is shared between snapshots) or the same in everything a label search reads (ref, role,
name, states, place, relations, number of children; also the value and attributes when the selector reads
text or a placeholder). If every node passes, the matches are the nodes now at the kept places; else it
searches. The comparison is one pass over a list the search walks anyway.
"""

from __future__ import annotations

from deskhand.tree.node import Node
from deskhand.tree.selector import Selector

# A match by its place in the walk: (the node's index, its ancestors' indices outermost first, its rank).
Placed = tuple[int, tuple[int, ...], int]

# Selectors remembered at once (a workflow fills a handful of fields again and again).
_KEPT_SELECTORS = 64


class LabelMemo:
    def __init__(self) -> None:
        self._kept: dict[Selector, tuple[list[Node], list[Placed]]] = {}

    def recall(self, selector: Selector, nodes: list[Node]) -> list[Placed] | None:
        """The places of the last search's matches, if ``nodes`` (the tree now, in walk order) is laid out as
        the tree it searched; else None."""
        kept = self._kept.get(selector)
        if kept is None:
            return None
        before, placed = kept
        if len(before) != len(nodes):
            return None
        values = selector.text is not None or selector.placeholder is not None
        for old, new in zip(before, nodes, strict=True):
            if old is not new and not _same_to_a_label_search(old, new, values):
                return None
        return placed

    def keep(self, selector: Selector, nodes: list[Node], placed: list[Placed]) -> None:
        if len(self._kept) >= _KEPT_SELECTORS and selector not in self._kept:
            self._kept.clear()
        self._kept[selector] = (nodes, placed)


def _same_to_a_label_search(old: Node, new: Node, values: bool) -> bool:
    return (
        old.ref == new.ref
        and old.role == new.role
        and old.name == new.name
        and old.states == new.states
        and old.bounds == new.bounds
        and old.labelled_by == new.labelled_by
        and len(old.children) == len(new.children)
        and (not values or (old.value == new.value and old.attributes == new.attributes))
    )
