"""Loading an application's tree from its bulk cache (``Cache.GetItems``): one call, treated as a hint.

Qt returns nothing, GTK4 only what somebody already walked, GTK3 leaves list children out (child count
-1), Chromium loses the web page after a navigation. So a parent's cached child list is kept only when it
is complete and ordered, and the live fill-in (live.py) asks for the rest.
"""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.errors import BackendError


async def load_cache(tree: TreeState) -> None:
    """Fill ``tree.nodes`` from the bulk cache; nodes whose children it does not vouch for get none."""
    try:
        (items,) = await tree.channel.call(c.CACHE_PATH, c.I_CACHE, "GetItems", timeout=5.0)
    except (BackendError, ValueError):
        return
    nodes = tree.nodes
    by_parent: dict[str, list[tuple[int, str]]] = {}
    for item in items:
        (_, path), _app, (_, parent), index, child_count, interfaces, name, role, description, states = item
        node = RawNode(
            path,
            parent=parent,
            index=index,
            child_count=child_count,
            interfaces=frozenset(interfaces),
            name=name,
            role_number=role,
            description=description,
        )
        node.set_states(states)
        nodes[path] = node
        by_parent.setdefault(parent, []).append((index, path))
    for parent_path, kids in by_parent.items():
        parent_node = nodes.get(parent_path)
        indices = sorted(i for i, _ in kids)
        # Trust the cache's child list only when it is complete and ordered (GTK3 reports index -1).
        if parent_node is not None and indices == list(range(parent_node.child_count)):
            kids.sort()
            parent_node.children = [p for _, p in kids]
    if tree.trust_empty:
        # GTK3's cache is right about leaves: asking each of them for its children cost ~14 ms in mousepad.
        for node in nodes.values():
            if node.child_count == 0 and node.children is None:
                node.children = []
    if tree.prune is not None:
        for node in [n for n in nodes.values() if tree.prune(n)]:
            for child in node.children or ():
                tree.forget(child)
            node.children, node.child_count = [], 0
    # The cache's root entry (the application) may be missing: find it by role.
    if c.ROOT_PATH not in nodes:
        for node in nodes.values():
            if node.role_number == c.ROLE_APPLICATION:
                nodes[c.ROOT_PATH] = node
                break
