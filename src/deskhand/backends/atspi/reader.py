"""Reading one application's accessibility tree fast, and keeping it current.

Strategy (measured, see ARCHITECTURE.md): one bulk ``Cache.GetItems`` call is a hint, not the truth — Qt
returns nothing, GTK4 only what somebody already walked, GTK3 omits list children, Chromium loses the web
page after a navigation. So every node whose known children fall short of its child count is filled in with
live calls, many in flight at once. Extra facts (bounds, text, value, placeholder, label relations) are read
only where they matter: bounds for showing nodes, text for inputs. Events mark nodes dirty; a re-snapshot
re-reads only the dirty ones and rebuilds only their path to the root.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel, bounded_gather
from deskhand.errors import BackendError, NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

# Chromium and GTK report absurd child counts on some containers; never enumerate beyond this.
MAX_CHILDREN = 2000
TEXT_ROLES = frozenset({Role.TEXTBOX, Role.SEARCHBOX, Role.SPINBUTTON, Role.COMBOBOX})
VALUE_ROLES = frozenset({Role.SLIDER, Role.SPINBUTTON, Role.PROGRESSBAR, Role.SCROLLBAR})
# Events from unknown elements worth tracing back to the tree (per sync), and how far up to look.
MAX_STRANGERS = 64
MAX_STRANGER_DEPTH = 8
LABELLED_ROLES = TEXT_ROLES | {Role.CHECKBOX, Role.RADIO, Role.SLIDER, Role.LISTBOX, Role.SWITCH}


@dataclass(slots=True)
class RawNode:
    """What the backend knows of one accessible object; mutable, owned by one AppTree."""

    path: str
    parent: str = ""
    index: int = -1
    child_count: int = 0
    children: list[str] | None = None
    interfaces: frozenset[str] = frozenset()
    name: str = ""
    role_number: int = 0
    description: str = ""
    state_words: list[int] = field(default_factory=list)
    states: frozenset[str] = frozenset()
    bounds: Bounds | None = None
    value: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    labelled_by: tuple[str, ...] = ()
    extras_done: bool = False
    built: Node | None = None

    @property
    def role(self) -> str:
        return c.map_role(self.role_number)[0]

    @property
    def shown(self) -> bool:
        return State.SHOWING in self.states or State.VISIBLE in self.states

    def set_states(self, words: list[int]) -> None:
        self.state_words = list(words)
        states = set(c.states_from_bits(words))
        if self.role_number == c.ROLE_PASSWORD_TEXT:
            states.add(State.PASSWORD)
        if State.SENSITIVE in states:
            states.add(State.ENABLED)
        self.states = frozenset(states)


class AppTree:
    """The live model of one application's tree."""

    def __init__(
        self,
        bus_name: str,
        channel: Channel,
        app_name: str,
        toolkit: str = "",
        *,
        use_cache: bool = True,
        prune: Callable[[RawNode], bool] | None = None,
    ) -> None:
        self.bus_name = bus_name
        self.channel = channel
        self.app_name = app_name
        self.toolkit = toolkit
        self.use_cache = use_cache
        self.nodes: dict[str, RawNode] = {}
        self.loaded = False
        self.dirty_props: set[str] = set()
        self.dirty_children: set[str] = set()
        self.full_reload = True
        self.get_all_works = True
        self.strangers: set[str] = set()
        # Nodes whose subtree another reader supplies (a web document read over CDP): never enumerated.
        self.prune = prune
        self.outsiders: set[str] = set()

    # ---- loading -------------------------------------------------------------------------------
    async def sync(self) -> None:
        """Bring the model up to date: a full load the first time, else only what events touched."""
        if self.full_reload or not self.loaded:
            # Cleared first: what changes while the load runs is read again at the next sync.
            self.dirty_props.clear()
            self.dirty_children.clear()
            self.strangers.clear()
            await self._full_load()
            self.full_reload = False
            self.loaded = True
            return
        if self.strangers:
            await self._place_strangers()
        if not (self.dirty_props or self.dirty_children):
            return
        props, kids = set(self.dirty_props), set(self.dirty_children)
        self.dirty_props.clear()
        self.dirty_children.clear()
        await self._refresh(props, kids)

    async def _full_load(self) -> None:
        self.nodes = {}
        self.outsiders.clear()
        if self.use_cache:
            await self._load_cache()
        root = self.nodes.get(c.ROOT_PATH)
        if root is None:
            root = RawNode(c.ROOT_PATH)
            self.nodes[c.ROOT_PATH] = root
            await self._read_props([root])
        await self._fill_in([root])
        await self._read_extras([n for n in self.nodes.values() if not n.extras_done])

    async def _load_cache(self) -> None:
        try:
            (items,) = await self.channel.call(c.CACHE_PATH, c.I_CACHE, "GetItems", timeout=5.0)
        except (BackendError, ValueError):
            return
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
            self.nodes[path] = node
            by_parent.setdefault(parent, []).append((index, path))
        for parent_path, kids in by_parent.items():
            parent_node = self.nodes.get(parent_path)
            indices = sorted(i for i, _ in kids)
            # Trust the cache's child list only when it is complete and ordered (GTK3 reports index -1).
            if parent_node is not None and indices == list(range(parent_node.child_count)):
                kids.sort()
                parent_node.children = [p for _, p in kids]
        if self.prune is not None:
            for node in [n for n in self.nodes.values() if self.prune(n)]:
                for child in node.children or ():
                    self._forget(child)
                node.children, node.child_count = [], 0
        # The cache's root entry (the application) may be missing: find it by role.
        if c.ROOT_PATH not in self.nodes:
            for node in self.nodes.values():
                if node.role_number == c.ROLE_APPLICATION:
                    self.nodes[c.ROOT_PATH] = node
                    break

    async def _fill_in(self, frontier: list[RawNode]) -> None:
        """Walk down from ``frontier``, asking live for children wherever the cache fell short."""
        visited: set[str] = set()
        while frontier:
            frontier = [n for n in frontier if n.path not in visited]
            visited.update(n.path for n in frontier)
            await self._read_unknown_counts(frontier)
            need = [n for n in frontier if _needs_children(n)]
            results = await bounded_gather([self._read_children(n) for n in need])
            new_nodes: list[RawNode] = []
            for node, result in zip(need, results, strict=True):
                if isinstance(result, BaseException):
                    node.children = []
                    continue
                for index, path in enumerate(result):
                    if path not in self.nodes:
                        child = RawNode(path, parent=node.path, index=index)
                        self.nodes[path] = child
                        new_nodes.append(child)
            if new_nodes:
                await self._read_props(new_nodes)
            next_frontier: list[RawNode] = []
            for node in frontier:
                if _enumerable(node):
                    next_frontier.extend(self.nodes[p] for p in node.children or () if p in self.nodes)
            frontier = next_frontier

    async def _read_unknown_counts(self, nodes: list[RawNode]) -> None:
        """GTK3's cache says -1 children for lists and tables: ask how many before deciding to enumerate."""
        unknown = [n for n in nodes if n.child_count < 0 and c.manages_descendants(n.state_words)]
        calls = [
            self.channel.call(n.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "ChildCount"]) for n in unknown
        ]
        for node, result in zip(unknown, await bounded_gather(calls), strict=True):
            node.child_count = int(result[0].value) if isinstance(result, list) else 0

    async def _read_children(self, node: RawNode) -> list[str]:
        if self.prune is not None and self.prune(node):
            node.children, node.child_count = [], 0
            return []
        (kids,) = await self.channel.call(node.path, c.I_ACCESSIBLE, "GetChildren")
        paths = [path for _, path in kids if path != c.NULL_PATH]
        node.children = paths[:MAX_CHILDREN]
        node.child_count = len(paths)
        return node.children

    async def _read_props(self, nodes: list[RawNode]) -> None:
        if not self.get_all_works:
            await self._read_props_one_by_one(nodes)
            return
        calls = []
        for node in nodes:
            calls.append(self.channel.call(node.path, c.I_PROPERTIES, "GetAll", "s", [c.I_ACCESSIBLE]))
            calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetRole"))
            calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetState"))
            calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetInterfaces"))
        results = await bounded_gather(calls)
        for i, node in enumerate(nodes):
            props, role, state, interfaces = results[4 * i : 4 * i + 4]
            if isinstance(props, list):
                values: dict[str, Any] = {k: v.value for k, v in props[0].items()}
                node.name = str(values.get("Name", "") or "")
                node.description = str(values.get("Description", "") or "")
                node.child_count = int(values.get("ChildCount", 0) or 0)
            if isinstance(role, list):
                node.role_number = int(role[0])
            if isinstance(state, list):
                node.set_states(list(state[0]))
            if isinstance(interfaces, list):
                node.interfaces = frozenset(interfaces[0])
            node.extras_done = False
            self.invalidate(node.path)
        # Qt implements Properties.Get but not GetAll: the node answers GetRole yet GetAll fails.
        if any(
            not isinstance(results[4 * i], list) and isinstance(results[4 * i + 1], list) for i in range(len(nodes))
        ):
            self.get_all_works = False
            await self._read_props_one_by_one(nodes)

    async def _read_props_one_by_one(self, nodes: list[RawNode]) -> None:
        """Name, description, child count, role, states and interfaces, one property per call."""
        fields = ("Name", "Description", "ChildCount")
        calls: list[Awaitable[list[Any]]] = []
        for node in nodes:
            calls.extend(
                self.channel.call(node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, field]) for field in fields
            )
            calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetRole"))
            calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetState"))
            calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetInterfaces"))
        results = await bounded_gather(calls)
        for i, node in enumerate(nodes):
            name, description, count, role, state, interfaces = results[6 * i : 6 * i + 6]
            node.name = str(name[0].value or "") if isinstance(name, list) else node.name
            node.description = str(description[0].value or "") if isinstance(description, list) else ""
            node.child_count = int(count[0].value or 0) if isinstance(count, list) else node.child_count
            if isinstance(role, list):
                node.role_number = int(role[0])
            if isinstance(state, list):
                node.set_states(list(state[0]))
            if isinstance(interfaces, list):
                node.interfaces = frozenset(interfaces[0])
            node.extras_done = False
            self.invalidate(node.path)

    async def _read_extras(self, nodes: list[RawNode]) -> None:
        """Bounds for showing nodes, text/value for inputs, placeholder and label relations."""
        calls: list[Any] = []
        plan: list[tuple[RawNode, str]] = []
        visible = self._visible_paths()
        for node in nodes:
            node.extras_done = True
            self.invalidate(node.path)
            role = node.role
            if c.I_COMPONENT in node.interfaces and node.path in visible:
                plan.append((node, "bounds"))
                calls.append(self.channel.call(node.path, c.I_COMPONENT, "GetExtents", "u", [c.COORD_SCREEN]))
            else:
                node.bounds = None  # hidden now: old bounds would send a click to where it used to be
            if c.I_TEXT in node.interfaces and (role in TEXT_ROLES or State.EDITABLE in node.states):
                plan.append((node, "text"))
                calls.append(self.channel.call(node.path, c.I_TEXT, "GetText", "ii", [0, -1]))
            elif c.I_VALUE in node.interfaces and role in VALUE_ROLES:
                plan.append((node, "value"))
                calls.append(self.channel.call(node.path, c.I_PROPERTIES, "Get", "ss", [c.I_VALUE, "CurrentValue"]))
            if role in LABELLED_ROLES:
                plan.append((node, "attrs"))
                calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetAttributes"))
                plan.append((node, "relations"))
                calls.append(self.channel.call(node.path, c.I_ACCESSIBLE, "GetRelationSet"))
        results = await bounded_gather(calls)
        for (node, what), result in zip(plan, results, strict=True):
            if isinstance(result, BaseException):
                continue
            if what == "bounds":
                x, y, w, h = result[0]
                # GTK reports never-drawn widgets at INT_MIN: that is "not on screen", not a position.
                node.bounds = Bounds(x, y, w, h) if x > -(2**30) and y > -(2**30) else None
            elif what == "text":
                # U+FFFC stands for an embedded child (Chromium's <select>): not text a person sees.
                node.value = str(result[0]).replace("\ufffc", "").strip() if "\ufffc" in result[0] else str(result[0])
            elif what == "value":
                node.value = _format_number(result[0].value)
            elif what == "attrs":
                node.attributes = dict(result[0])
            elif what == "relations":
                node.labelled_by = tuple(
                    f"{bus}|{path}"
                    for kind, targets in result[0]
                    if kind == c.RELATION_LABELLED_BY
                    for bus, path in targets
                )

    def _visible_paths(self) -> set[str]:
        """Paths of nodes that are shown and whose ancestors are all shown (only they get bounds)."""
        seen: set[str] = set()
        root = self.nodes.get(c.ROOT_PATH)
        if root is None:
            return seen
        stack = [root]
        while stack:
            node = stack.pop()
            if node.path in seen or (node is not root and not node.shown):
                continue
            seen.add(node.path)
            stack.extend(self.nodes[p] for p in node.children or () if p in self.nodes)
        return seen

    # ---- incremental refresh --------------------------------------------------------------------
    async def _refresh(self, props: set[str], kids: set[str]) -> None:
        known_props = [self.nodes[p] for p in props if p in self.nodes]
        was_shown = {n.path: n.shown for n in known_props}
        if known_props:
            await self._read_props(known_props)
        for changed in known_props:
            # A popup list can become shown with no event on its items (Qt): their bounds change too.
            if changed.shown != was_shown[changed.path]:
                self._reset_extras(changed.path)
        for path in kids:
            node = self.nodes.get(path)
            if node is None:
                continue
            old = set(node.children or ())
            node.children = None
            try:
                await self._read_children(node)
            except NodeGone:
                node.children = []
            for gone in old - set(node.children or ()):
                self._forget(gone)
            fresh = [RawNode(p, parent=node.path) for p in node.children or () if p not in self.nodes]
            for child in fresh:
                self.nodes[child.path] = child
            if fresh:
                await self._read_props(fresh)
                await self._fill_in(fresh)
            self.invalidate(node.path)
        touched = [n for n in self.nodes.values() if not n.extras_done]
        touched.extend(self.nodes[p] for p in props if p in self.nodes and self.nodes[p].extras_done)
        await self._read_extras(list({id(n): n for n in touched}.values()))
        for path in props:
            self.invalidate(path)

    def _forget(self, path: str) -> None:
        node = self.nodes.pop(path, None)
        if node is not None:
            for child in node.children or ():
                self._forget(child)

    def invalidate(self, path: str) -> None:
        """Drop the built Node of ``path`` and its ancestors (their children tuples changed).

        Invariant: a node without a built Node has no built ancestors either, so the walk up stops at the
        first node already dropped.
        """
        seen = 0
        while path and seen < 512:
            node = self.nodes.get(path)
            if node is None or node.built is None:
                return
            node.built = None
            path = node.parent
            seen += 1

    def mark_subtree_extras(self, path: str) -> None:
        """A node became shown or hidden: its whole subtree's bounds need reading again."""
        self._reset_extras(path)
        self.dirty_props.add(path)

    def _reset_extras(self, path: str) -> None:
        stack = [path]
        while stack:
            node = self.nodes.get(stack.pop())
            if node is None:
                continue
            node.extras_done = False
            self.invalidate(node.path)
            stack.extend(node.children or ())

    def subtree(self, node: RawNode, *, limit: int) -> list[RawNode]:
        """``node`` and its descendants, or just ``node`` when the subtree is larger than ``limit``."""
        found: list[RawNode] = []
        stack = [node]
        while stack:
            current = stack.pop()
            found.append(current)
            if len(found) > limit:
                return [node]
            stack.extend(self.nodes[p] for p in current.children or () if p in self.nodes)
        return found

    async def reread(self, nodes: list[RawNode]) -> None:
        await self._read_props(nodes)
        await self._read_extras(nodes)

    def mark(self, path: str, *, children: bool = False) -> None:
        if path in self.outsiders:
            return
        if path not in self.nodes:
            # An element never read: the tree grew where no event told us (Chromium replaces a loading
            # page's document without children-changed). Placed under its known ancestor at the next sync.
            if len(self.strangers) < MAX_STRANGERS:
                self.strangers.add(path)
            return
        (self.dirty_children if children else self.dirty_props).add(path)

    def mark_defunct(self, path: str) -> None:
        """The element died: its parent's children changed, whether or not the app says so."""
        node = self.nodes.get(path)
        if node is not None and node.parent in self.nodes:
            self.dirty_children.add(node.parent)

    async def _place_strangers(self) -> None:
        """Mark the nearest known ancestor of each never-seen element whose events arrived."""
        # Each element still being traced → the strangers whose ancestor it is.
        pending: dict[str, set[str]] = {p: {p} for p in self.strangers}
        self.strangers.clear()
        for _ in range(MAX_STRANGER_DEPTH):
            pending = {p: o for p, o in pending.items() if p not in self.nodes and p != c.NULL_PATH}
            if not pending:
                return
            paths = list(pending)
            calls = [self.channel.call(p, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Parent"]) for p in paths]
            parents: dict[str, set[str]] = {}
            for path, result in zip(paths, await bounded_gather(calls), strict=True):
                if isinstance(result, list):
                    parents.setdefault(str(result[0].value[1]), set()).update(pending[path])
            for parent, origins in parents.items():
                known = self.nodes.get(parent)
                if known is None:
                    continue
                if self.prune is not None and self.prune(known):
                    # Inside a pruned subtree: remember, so its events cost nothing from now on.
                    self.outsiders.update(origins)
                else:
                    self.dirty_children.add(parent)
            pending = {p: o for p, o in parents.items() if p not in self.nodes}

    # ---- building neutral nodes -----------------------------------------------------------------
    def build(self, path: str = c.ROOT_PATH) -> Node:
        node = self.nodes.get(path)
        if node is None:
            raise NodeGone(f"{path} is not part of {self.app_name}'s tree any more.")
        if node.built is not None:
            return node.built
        children = tuple(self.build(p) for p in node.children or () if p in self.nodes)
        role, raw_role = c.map_role(node.role_number)
        built = Node(
            ref=f"{self.bus_name}|{node.path}",
            role=role,
            name=node.name,
            description=node.description,
            value=node.value,
            states=node.states,
            bounds=node.bounds,
            actions=("press",) if c.I_ACTION in node.interfaces else (),
            children=children,
            app=self.app_name,
            raw_role=raw_role,
            attributes=MappingProxyType(dict(node.attributes)),
            labelled_by=node.labelled_by,
        )
        node.built = built
        return built


def _needs_children(node: RawNode) -> bool:
    if not _enumerable(node):
        return False
    known = len(node.children) if node.children is not None else -1
    return node.children is None or known < node.child_count or node.child_count < 0


def _enumerable(node: RawNode) -> bool:
    # On-demand children (LibreOffice's sheet reports 2^31 - 1) are never enumerated in bulk; a small
    # managed list (a GTK3 tree view of a few rows) is, or its rows could never be found or clicked.
    if c.manages_descendants(node.state_words):
        return 0 <= node.child_count <= MAX_CHILDREN
    return node.child_count <= MAX_CHILDREN * 50


def _format_number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


async def read_app_names(channel: Channel) -> tuple[str, str]:
    """(name, toolkit) of an application root."""
    name_call = channel.call(c.ROOT_PATH, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Name"])
    toolkit_call = channel.call(c.ROOT_PATH, c.I_PROPERTIES, "Get", "ss", [c.I_APPLICATION, "ToolkitName"])
    replies: list[Any] = list(await asyncio.gather(name_call, toolkit_call, return_exceptions=True))
    name_reply, toolkit_reply = replies
    return (
        str(name_reply[0].value) if isinstance(name_reply, list) else "",
        str(toolkit_reply[0].value) if isinstance(toolkit_reply, list) else "",
    )
