"""Events from elements the tree has never read: traced up to a known ancestor, which is read again.

Chromium replaces a loading page's document without a children-changed event, so an event from an unknown
element is the only sign that the tree grew there. Qt never lists a popup menu (a context menu is a window
of its own, left out of the application's children, and its path may be one an element gone earlier had):
an element that became shown and is a popup menu is adopted by its parent while it shows
(``TreeState.adopted``).
"""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import bounded_gather
from deskhand.backends.atspi.model import TreeState

# How far up an unknown element's ancestors are looked for (per sync).
MAX_STRANGER_DEPTH = 8


async def place_strangers(tree: TreeState) -> None:
    """Mark the nearest known ancestor of each never-seen element whose events arrived."""
    # Each element still being traced → the strangers whose ancestor it is.
    pending: dict[str, set[str]] = {p: {p} for p in tree.strangers}
    tree.strangers.clear()
    for _ in range(MAX_STRANGER_DEPTH):
        pending = {p: o for p, o in pending.items() if p not in tree.nodes and p != c.NULL_PATH}
        if not pending:
            return
        paths = list(pending)
        calls = [tree.channel.call(p, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Parent"]) for p in paths]
        parents: dict[str, set[str]] = {}
        for path, result in zip(paths, await bounded_gather(calls), strict=True):
            if isinstance(result, list):
                parents.setdefault(str(result[0].value[1]), set()).update(pending[path])
        for parent, origins in parents.items():
            known = tree.nodes.get(parent)
            if known is None:
                continue
            if tree.prune is not None and tree.prune(known):
                # Inside a pruned subtree: remember, so its events cost nothing from now on.
                tree.outsiders.update(origins)
            else:
                tree.dirty_children.add(parent)
        pending = {p: o for p, o in parents.items() if p not in tree.nodes}


async def adopt_popups(tree: TreeState) -> None:
    """Elements that became shown: each popup menu among them is listed under its parent from now on."""
    shown = list(tree.shown_lately)
    tree.shown_lately.clear()
    roles = await bounded_gather([tree.channel.call(p, c.I_ACCESSIBLE, "GetRole") for p in shown])
    popups = [p for p, r in zip(shown, roles, strict=True) if isinstance(r, list) and int(r[0]) in c.POPUP_ROLES]
    calls = [tree.channel.call(p, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Parent"]) for p in popups]
    for path, result in zip(popups, await bounded_gather(calls), strict=True):
        if not isinstance(result, list):
            continue
        parent = str(result[0].value[1])
        if parent not in tree.nodes or path in (tree.nodes[parent].children or ()):
            continue
        tree.forget(path)  # a path an element gone earlier had: read it afresh
        tree.adopted.setdefault(parent, set()).add(path)
        tree.dirty_children.add(parent)
