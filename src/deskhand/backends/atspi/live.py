"""Live reads that fill in what the bulk cache left out: child lists, and the facts of new nodes.

Many calls are in flight at once (bounded_gather): a walk of hundreds of nodes costs a few round trips'
worth of time instead of one round trip per call.
"""

from __future__ import annotations

from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import CallSpec
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.tree.roles import Role, State

# Roles whose nodes get all their interfaces read even in a bulk read (read_kinds): what people act on.
ACTED_ON_ROLES = frozenset(
    {Role.BUTTON, Role.LINK, Role.TEXTBOX, Role.SEARCHBOX, Role.COMBOBOX, Role.SPINBUTTON, Role.SLIDER}
    | {Role.CHECKBOX, Role.RADIO, Role.SWITCH, Role.MENUITEM, Role.TAB, Role.LISTBOX, Role.OPTION, Role.DOCUMENT}
)
# Chromium and GTK report absurd child counts on some containers; never enumerate beyond this.
MAX_CHILDREN = 2000


async def fill_in(tree: TreeState, frontier: list[RawNode]) -> None:
    """Walk down from ``frontier``, asking live for children wherever the cache fell short."""
    visited: set[str] = set()
    while frontier:
        frontier = [n for n in frontier if n.path not in visited]
        visited.update(n.path for n in frontier)
        await _read_unknown_counts(tree, frontier)
        need = [n for n in frontier if needs_children(n)]
        if tree.showing_only:
            # A hidden GTK3 popover's list (gedit's 150 languages) would cost ~60 ms: read it when shown.
            need = [n for n in need if _read_while_hidden(tree, n) or State.SHOWING in n.states]
        results = await read_children_of(tree, need)
        new_nodes: list[RawNode] = []
        for node, result in zip(need, results, strict=True):
            if result is None:
                node.children = []
                continue
            for index, path in enumerate(result):
                if path not in tree.nodes:
                    child = RawNode(path, parent=node.path, index=index)
                    tree.nodes[path] = child
                    new_nodes.append(child)
        if new_nodes:
            await read_props(tree, new_nodes)
        next_frontier: list[RawNode] = []
        for node in frontier:
            if enumerable(node):
                next_frontier.extend(tree.nodes[p] for p in node.children or () if p in tree.nodes)
        frontier = next_frontier


async def _read_unknown_counts(tree: TreeState, nodes: list[RawNode]) -> None:
    """GTK3's cache says -1 children for lists and tables: ask how many before deciding to enumerate."""
    unknown = [n for n in nodes if n.child_count < 0 and c.manages_descendants(n.state_words)]
    calls: list[CallSpec] = [(n.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "ChildCount"]) for n in unknown]
    for node, result in zip(unknown, await tree.channel.call_many(calls), strict=True):
        node.child_count = int(result[0].value) if isinstance(result, list) else 0


async def read_children_of(tree: TreeState, nodes: list[RawNode]) -> list[list[str] | None]:
    """``read_children`` for many nodes in one pipelined batch; None where a node did not answer."""
    asked = [n for n in nodes if tree.prune is None or not tree.prune(n)]
    replies = await tree.channel.call_many([(n.path, c.I_ACCESSIBLE, "GetChildren", "", []) for n in asked])
    by_path = dict(zip((n.path for n in asked), replies, strict=True))
    out: list[list[str] | None] = []
    for node in nodes:
        if node.path not in by_path:
            node.children, node.child_count = [], 0
            out.append([])
            continue
        reply = by_path[node.path]
        if isinstance(reply, BaseException):
            out.append(None)
            continue
        paths = tree.with_adopted(node.path, [path for _, path in reply[0] if path != c.NULL_PATH])
        node.children = paths[:MAX_CHILDREN]
        node.child_count = len(paths)
        out.append(node.children)
    return out


async def read_children(tree: TreeState, node: RawNode) -> list[str]:
    if tree.prune is not None and tree.prune(node):
        node.children, node.child_count = [], 0
        return []
    (kids,) = await tree.channel.call(node.path, c.I_ACCESSIBLE, "GetChildren")
    paths = tree.with_adopted(node.path, [path for _, path in kids if path != c.NULL_PATH])
    node.children = paths[:MAX_CHILDREN]
    node.child_count = len(paths)
    return node.children


async def read_props(tree: TreeState, nodes: list[RawNode]) -> None:
    """Name, description, child count, role, states and interfaces of each node."""
    if not tree.get_all_works:
        await _read_props_one_by_one(tree, nodes)
        return
    calls: list[CallSpec] = []
    for node in nodes:
        calls.append((node.path, c.I_PROPERTIES, "GetAll", "s", [c.I_ACCESSIBLE]))
        calls.append((node.path, c.I_ACCESSIBLE, "GetRole", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetState", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetInterfaces", "", []))
    results = await tree.channel.call_many(calls)
    for i, node in enumerate(nodes):
        props, role, state, interfaces = results[4 * i : 4 * i + 4]
        if isinstance(props, list):
            values: dict[str, Any] = {k: v.value for k, v in props[0].items()}
            node.name = str(values.get("Name", "") or "")
            node.description = str(values.get("Description", "") or "")
            node.child_count = int(values.get("ChildCount", 0) or 0)
            if node.child_count == 0 and node.children is None:
                node.children = []  # asked live just now: no children, no GetChildren needed
            attributes = values.get("Attributes")
            if isinstance(attributes, dict):
                node.attributes = {str(k): str(v) for k, v in attributes.items()}  # Chromium sends them here
        _apply(tree, node, role, state, interfaces)
    # Qt implements Properties.Get but not GetAll: the node answers GetRole yet GetAll fails.
    if any(not isinstance(results[4 * i], list) and isinstance(results[4 * i + 1], list) for i in range(len(nodes))):
        tree.get_all_works = False
        await _read_props_one_by_one(tree, nodes)


async def read_props_lean(tree: TreeState, nodes: list[RawNode]) -> None:
    """As read_props, with name and child count asked one by one instead of GetAll: a GetAll reply (seven
    variants and Chromium's attribute map) cost deskhand ~45 µs to decode against ~7 µs for a single
    property, on thousands of nodes. Description and attributes are read with the extras, for the
    roles people act on (extras.py)."""
    calls: list[CallSpec] = []
    for node in nodes:
        calls.append((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Name"]))
        calls.append((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "ChildCount"]))
        calls.append((node.path, c.I_ACCESSIBLE, "GetRole", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetState", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetInterfaces", "", []))
    results = await tree.channel.call_many(calls)
    for i, node in enumerate(nodes):
        name, count, role, state, interfaces = results[5 * i : 5 * i + 5]
        node.name = str(name[0].value or "") if isinstance(name, list) else ""
        node.child_count = int(count[0].value or 0) if isinstance(count, list) else 0
        node.lean = True
        _apply(tree, node, role, state, interfaces)


async def read_kinds(tree: TreeState, nodes: list[RawNode]) -> None:
    """Role and states of nodes read by shape.read_tree; all their interfaces only where people act on them
    (links need Hyperlink for their address, fields EditableText), in a second, small batch."""
    calls: list[CallSpec] = []
    for node in nodes:
        calls.append((node.path, c.I_ACCESSIBLE, "GetRole", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetState", "", []))
    results = await tree.channel.call_many(calls)
    for i, node in enumerate(nodes):
        node.lean = True
        vouched, known = node.interfaces, node.interfaces_known
        _apply(tree, node, results[2 * i], results[2 * i + 1], None)
        node.interfaces, node.interfaces_known = vouched, known
    await read_acted_on_interfaces(tree, nodes)


async def read_acted_on_interfaces(tree: TreeState, nodes: list[RawNode]) -> None:
    """All the interfaces of the nodes people act on (links need Hyperlink, fields EditableText)."""
    chosen = [n for n in nodes if acted_on(n)]
    replies = await tree.channel.call_many([(n.path, c.I_ACCESSIBLE, "GetInterfaces", "", []) for n in chosen])
    for node, reply in zip(chosen, replies, strict=True):
        if isinstance(reply, list):
            node.interfaces, node.interfaces_known = frozenset(reply[0]), True


def acted_on(node: RawNode) -> bool:
    return node.role in ACTED_ON_ROLES or State.EDITABLE in node.states


async def read_facts(tree: TreeState, nodes: list[RawNode]) -> None:
    """Name, description, child count and states of known nodes (role and interfaces stay as they were)."""
    # Qt has no GetAll: three Gets instead (still one round trip, all in flight together).
    fields = ("Name", "Description", "ChildCount")
    per_node = 2 if tree.get_all_works else len(fields) + 1
    calls: list[CallSpec] = []
    for node in nodes:
        if tree.get_all_works:
            calls.append((node.path, c.I_PROPERTIES, "GetAll", "s", [c.I_ACCESSIBLE]))
        else:
            calls.extend((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, field]) for field in fields)
        calls.append((node.path, c.I_ACCESSIBLE, "GetState", "", []))
    results = await tree.channel.call_many(calls)
    for i, node in enumerate(nodes):
        *props, state = results[per_node * i : per_node * (i + 1)]
        if tree.get_all_works and isinstance(props[0], list):
            values: dict[str, Any] = {k: v.value for k, v in props[0][0].items()}
            node.name = str(values.get("Name", "") or "")
            node.description = str(values.get("Description", "") or "")
            node.child_count = int(values.get("ChildCount", 0) or 0)
        elif not tree.get_all_works:
            name, description, count = props
            node.name = str(name[0].value or "") if isinstance(name, list) else node.name
            node.description = str(description[0].value or "") if isinstance(description, list) else ""
            node.child_count = int(count[0].value or 0) if isinstance(count, list) else node.child_count
        if isinstance(state, list):
            node.set_states(list(state[0]))
        tree.invalidate(node.path)


async def _read_props_one_by_one(tree: TreeState, nodes: list[RawNode]) -> None:
    fields = ("Name", "Description", "ChildCount")
    calls: list[CallSpec] = []
    for node in nodes:
        calls.extend((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, field]) for field in fields)
        calls.append((node.path, c.I_ACCESSIBLE, "GetRole", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetState", "", []))
        calls.append((node.path, c.I_ACCESSIBLE, "GetInterfaces", "", []))
    results = await tree.channel.call_many(calls)
    for i, node in enumerate(nodes):
        name, description, count, role, state, interfaces = results[6 * i : 6 * i + 6]
        node.name = str(name[0].value or "") if isinstance(name, list) else node.name
        node.description = str(description[0].value or "") if isinstance(description, list) else ""
        node.child_count = int(count[0].value or 0) if isinstance(count, list) else node.child_count
        _apply(tree, node, role, state, interfaces)


def _apply(tree: TreeState, node: RawNode, role: object, state: object, interfaces: object) -> None:
    if isinstance(role, list):
        node.role_number = int(role[0])
    if isinstance(state, list):
        node.set_states(list(state[0]))
    if isinstance(interfaces, list):
        node.interfaces, node.interfaces_known = frozenset(interfaces[0]), True
    node.extras_done = False
    tree.invalidate(node.path)


def _read_while_hidden(tree: TreeState, node: RawNode) -> bool:
    """The root, and a closed combo's menu: its options are pressed without opening it."""
    if node.path == c.ROOT_PATH or node.role == Role.COMBOBOX:
        return True
    parent = tree.nodes.get(node.parent)
    return parent is not None and parent.role == Role.COMBOBOX


def needs_children(node: RawNode) -> bool:
    if not enumerable(node):
        return False
    known = len(node.children) if node.children is not None else -1
    return node.children is None or known < node.child_count or node.child_count < 0


def enumerable(node: RawNode) -> bool:
    # On-demand children (LibreOffice's sheet reports 2^31 - 1) are never enumerated in bulk; a small
    # managed list (a GTK3 tree view of a few rows) is, or its rows could never be found or clicked.
    if c.manages_descendants(node.state_words):
        return 0 <= node.child_count <= MAX_CHILDREN
    return node.child_count <= MAX_CHILDREN * 50
