"""A whole tree's shape in one call. ``Collection.GetTree`` (at-spi2-atk's bridge answers it, though its
introspection does not list it) gives every node depth-first with the properties asked for: name, child
count, description, accessible id and screen extents of 4,830 nodes in one call of ~95 ms, where they were
five calls per node (roles and states: bulk_kinds.py). Where it is missing, ``Collection.GetMatches`` with a
rule that matches everything lists every descendant in the same order, and each node's child count (read in
the batch with its name) makes it the tree. GetTree must be asked for named properties: asked for all of them,
Chromium closed its connection.

Measured on Chromium's 4,830-node page by ``benchmarks/shape_ab.py --profile`` (docs/perception-decisions.md):
the list takes one call, where the level-by-level walk asks ~2,700 nodes for their children in ~34 batches,
each waiting for the one before. Used for Chromium (and Electron, the same accessibility code) only: the bridge's walk
ignores MANAGES_DESCENDANTS, so a LibreOffice sheet would be enumerated cell by cell. A list that does
not add up with the child counts (the page changed between the calls) is dropped and the tree walked
as before.
"""

from __future__ import annotations

from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.errors import BackendError
from deskhand.tree.node import Bounds

# Beyond this many nodes the page is read the usual way (which never enumerates huge containers).
MAX_NODES = 30_000
_MATCH_ALL = 1  # AtspiCollectionMatchType ALL: an empty criterion matches every node
_SORT_CANONICAL = 1  # AtspiCollectionSortOrder CANONICAL: depth-first, children in order
# (states, state match, attributes, attribute match, roles, role match, interfaces, interface match, invert)
_EVERYTHING: list[Any] = [[0, 0], _MATCH_ALL, {}, _MATCH_ALL, [0, 0, 0, 0], _MATCH_ALL, [], _MATCH_ALL, False]


# Properties asked of GetTree: the Accessible interface's by name, and one property of each interface deskhand
# uses that has properties (the bridge answers it only for nodes that implement the interface), so the reply
# also says which nodes have them. Component, Hyperlink and EditableText have none: see read_tree. Nor is Text
# probed: nearly every node of a page has it (4,830 more values to decode, ~14 ms), and deskhand reads text
# only of the fields, whose interfaces are all asked (live.read_acted_on_interfaces).
_PROBES = {
    "Action.NActions": c.I_ACTION,
    "Value.CurrentValue": c.I_VALUE,
    "Selection.NSelectedChildren": c.I_SELECTION,
    "Table.NRows": c.I_TABLE,
}
# Where each node is on screen, as GetExtents(SCREEN) answers it, in the same call (bridge: "(uuuu)").
_EXTENTS = "Component.ScreenExtents"
TREE_PROPERTIES = ["Name", "ChildCount", "Description", "AccessibleId", *_PROBES, _EXTENTS]


def reads_shape_in_one_call(toolkit: str) -> bool:
    return toolkit.lower() == "chromium"


async def list_descendants(tree: TreeState) -> list[str] | None:
    """Paths of every node below the application root, depth-first; None when the app cannot say."""
    try:
        (found,) = await tree.channel.call(
            c.ROOT_PATH,
            c.I_COLLECTION,
            "GetMatches",
            "(aiia{ss}iaiiasib)uib",
            [_EVERYTHING, _SORT_CANONICAL, MAX_NODES, True],
            timeout=5.0,
        )
    except (BackendError, ValueError):
        return None
    if len(found) >= MAX_NODES:
        return None
    return [str(path) for _, path in found]


async def read_tree(tree: TreeState) -> list[RawNode] | None:
    """The application root and every node below it, depth-first, with name, child count, description,
    accessible id, extents and the interfaces the probes vouch for; None when the app does not answer GetTree."""
    try:
        (found,) = await tree.channel.call(
            c.ROOT_PATH, c.I_COLLECTION, "GetTree", "(aiia{ss}iaiiasib)as", [_EVERYTHING, TREE_PROPERTIES], timeout=5.0
        )
    except (BackendError, ValueError):
        return None
    if not found or len(found) >= MAX_NODES or str(found[0][0][1]) != c.ROOT_PATH:
        return None
    nodes: list[RawNode] = []
    # Nodes of the same interfaces share one frozenset (most of a page's nodes have the same few).
    kinds: dict[frozenset[str], frozenset[str]] = {}
    for (_, path), properties in found:
        values = {key: variant.value for key, variant in properties.items()}
        node = RawNode(
            str(path),
            name=str(values.get("Name", "") or ""),
            child_count=int(values.get("ChildCount", 0) or 0),
            description=str(values.get("Description", "") or ""),
        )
        extents = values.get(_EXTENTS)
        if extents is not None:
            x, y, width, height = extents
            node.bulk_bounds = Bounds(_signed(x), _signed(y), _signed(width), _signed(height))
        if values.get("AccessibleId"):
            node.attributes = {"accessible-id": str(values["AccessibleId"])}
        # What the probes vouch for, plus Component, which every node of Chromium's has (one without it
        # brings no extents, is asked GetExtents and answers with an error: no bounds). The rest (Text,
        # Hyperlink, EditableText) is asked where it matters (live.read_acted_on_interfaces) or at first use.
        probed = frozenset(_PROBES[k] for k in values if k in _PROBES)
        interfaces = kinds.get(probed)
        if interfaces is None:
            interfaces = kinds[probed] = frozenset({c.I_ACCESSIBLE, c.I_COMPONENT, *probed})
        node.interfaces = interfaces
        node.interfaces_known = False
        nodes.append(node)
    return nodes


def _signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


def place_in_order(root: RawNode, ordered: list[RawNode]) -> bool:
    """Give each node its parent, index and children from depth-first order and child counts; False
    (nodes left as they were) when the counts and the order disagree."""
    placed: list[tuple[RawNode, RawNode]] = []
    open_parents: list[list[Any]] = [[root, root.child_count]]  # [node, children still to come]
    for node in ordered:
        while open_parents and open_parents[-1][1] == 0:
            open_parents.pop()
        if not open_parents or node.child_count < 0:
            return False
        slot = open_parents[-1]
        slot[1] -= 1
        parent: RawNode = slot[0]
        placed.append((node, parent))
        if node.child_count > 0:
            open_parents.append([node, node.child_count])
    if any(remaining for _, remaining in open_parents):
        return False
    for node in [root, *ordered]:
        node.children = []
    for node, parent in placed:
        children = parent.children
        assert children is not None
        node.parent = parent.path
        node.index = len(children)
        children.append(node.path)
    return True
