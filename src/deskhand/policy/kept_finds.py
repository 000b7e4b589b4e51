"""Where an element sits in an app's event-kept tree, remembered while that tree is the same object.

The guard looks up the element of every action and table read it judges, with its ancestors (window, page,
form): a walk of up to the whole tree (~1,900 nodes in an office window, ~1 ms). A kept tree is immutable
and handed out as the same object until an event marks something in it, so a lookup made in it holds for as
long as it is the one handed out: reading one cell after another judges each read on the same tree and
walks it once per element.
"""

from __future__ import annotations

import threading

from deskhand.tree.node import Node

Found = tuple[Node, tuple[Node, ...]]
_REMEMBERED_AT_MOST = 256  # elements per tree; a tree with more lookups than this starts over


def find_with_ancestors(root: Node, ref: str) -> Found | None:
    # The chain of ancestors is kept as one list cut back to each node's depth, not a tuple made per node.
    chain: list[Node] = []
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        del chain[depth:]
        if node.ref == ref:
            return node, tuple(chain)
        chain.append(node)
        stack.extend([(child, depth + 1) for child in reversed(node.children)])
    return None


class KeptFinds:
    """:func:`find_with_ancestors` per tree, remembered while the tree is the same object (one per app)."""

    def __init__(self) -> None:
        # app ref -> (the tree the lookups were made in, ref -> what was found)
        self._trees: dict[str, tuple[Node, dict[str, Found | None]]] = {}
        self._lock = threading.Lock()

    def find(self, app_ref: str, root: Node, ref: str) -> Found | None:
        with self._lock:
            kept = self._trees.get(app_ref)
            if kept is None or kept[0] is not root or len(kept[1]) >= _REMEMBERED_AT_MOST:
                kept = self._trees[app_ref] = (root, {})
            if ref in kept[1]:
                return kept[1][ref]
        found = find_with_ancestors(root, ref)
        with self._lock:
            kept[1][ref] = found
        return found
