"""Events from elements the tree has never read: traced up to a known ancestor, which is read again.

Chromium replaces a loading page's document without a children-changed event, so an event from an unknown
element is the only sign that the tree grew there. Qt never lists a popup menu (a context menu is a window
of its own, left out of the application's children, and its path may be one an element gone earlier had):
an element that became shown and is a popup menu is adopted by its parent while it shows
(``TreeState.adopted``). GTK 4.8 leaves a text field's inner GtkText out of the field's children, and the
field's context menu is that GtkText's child: an element its parent does not list is adopted the same way.
"""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import bounded_gather
from deskhand.backends.atspi.model import TreeState

# How far up an unknown element's ancestors are looked for (per sync).
MAX_STRANGER_DEPTH = 24
# How far up an element's ancestors are followed when judging whether the tree reaches it.
MAX_CHAIN = 512


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
        below: dict[str, set[str]] = {}  # parent → the traced elements it is the parent of
        for path, result in zip(paths, await bounded_gather(calls), strict=True):
            if isinstance(result, list):
                parent = str(result[0].value[1])
                parents.setdefault(parent, set()).update(pending[path])
                below.setdefault(parent, set()).add(path)
        reached: list[str] = []
        for parent, origins in parents.items():
            known = tree.nodes.get(parent)
            if known is None:
                continue
            if tree.prune is not None and tree.prune(known):
                # Inside a pruned subtree: remember, so its events cost nothing from now on.
                tree.outsiders.update(origins)
            else:
                tree.dirty_children.add(parent)
                reached.append(parent)
        await _adopt_unlisted(tree, {parent: below[parent] for parent in reached})
        pending = {p: o for p, o in parents.items() if p not in tree.nodes}


async def _adopt_unlisted(tree: TreeState, below: dict[str, set[str]]) -> None:
    """Widgets of no role whose parent does not list them are listed under it from now on. GTK 4.8 leaves a text
    field's inner GtkText (role none) out of the field's children, yet the context menu it pops up is the
    GtkText's child: without this, no walk from the window reaches that menu. The GtkText's own
    children-changed events then say when its menu comes and goes."""
    parents = list(below)
    replies = await bounded_gather([tree.channel.call(p, c.I_ACCESSIBLE, "GetChildren") for p in parents])
    unlisted: list[tuple[str, str]] = []
    for parent, reply in zip(parents, replies, strict=True):
        if isinstance(reply, list):
            listed = {str(path) for _, path in reply[0]}
            unlisted += [(parent, path) for path in sorted(below[parent] - listed)]
    # Only widgets of no role: a hidden popover is unlisted too, and its parent lists it again when it shows.
    roles = await bounded_gather([tree.channel.call(path, c.I_ACCESSIBLE, "GetRole") for _, path in unlisted])
    for (parent, path), role in zip(unlisted, roles, strict=True):
        if isinstance(role, list) and int(role[0]) == c.ROLE_INVALID:
            tree.adopted.setdefault(parent, set()).add(path)


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


def drop_unreached(tree: TreeState) -> None:
    """Forget the elements the bulk cache gave below a widget of no role its parent does not list: no walk from
    the window reaches them (GTK 4.8 caches the parts of an entry's context menu under the entry's unlisted
    GtkText), so they must stay strangers for their events to trace them to where they hang. Other unlisted
    elements (a hidden popover) stay: their parent lists them again when they show."""
    verdict: dict[str, bool] = {c.ROOT_PATH: False}
    for start in tree.nodes:
        chain: list[str] = []
        path, cut = start, False
        while path not in verdict and len(chain) < MAX_CHAIN:
            node = tree.nodes.get(path)
            parent = tree.nodes.get(node.parent) if node is not None else None
            chain.append(path)
            if parent is None:
                break  # under an element not read (yet): not known to be cut off
            if (
                node is not None
                and node.role_number == c.ROLE_INVALID
                and parent.children is not None
                and path not in parent.children
                and path not in tree.adopted.get(parent.path, ())
            ):
                cut = True
                break
            path = parent.path
        else:
            cut = verdict.get(path, False)
        for link in chain:
            verdict[link] = cut
    for path in [p for p, cut in verdict.items() if cut]:
        tree.nodes.pop(path, None)
