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
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel
from deskhand.backends.atspi.cache import load_cache
from deskhand.backends.atspi.extras import read_extras
from deskhand.backends.atspi.live import fill_in, read_children, read_facts, read_props
from deskhand.backends.atspi.strangers import MAX_STRANGERS, place_strangers
from deskhand.errors import NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import State


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
        trust_empty: bool = False,
        showing_only: bool = False,
    ) -> None:
        """``trust_empty``: the cache's "no children" is true (GTK3; GTK4 says 0 for unwalked parents).
        ``showing_only``: SHOWING alone says what is on screen (GTK3; GTK4 sets only VISIBLE)."""
        self.bus_name = bus_name
        self.channel = channel
        self.app_name = app_name
        self.toolkit = toolkit
        self.use_cache = use_cache
        self.trust_empty = trust_empty
        self.showing_only = showing_only
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
            await place_strangers(self)
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
            await load_cache(self)
        root = self.nodes.get(c.ROOT_PATH)
        if root is None:
            root = RawNode(c.ROOT_PATH)
            self.nodes[c.ROOT_PATH] = root
            await read_props(self, [root])
        await fill_in(self, [root])
        await read_extras(self, [n for n in self.nodes.values() if not n.extras_done])

    # ---- incremental refresh --------------------------------------------------------------------
    async def _refresh(self, props: set[str], kids: set[str]) -> None:
        known_props = [self.nodes[p] for p in props if p in self.nodes]
        was_shown = {n.path: _showing(n) for n in known_props}
        # Known nodes keep their role and interfaces: their facts and extras are read in one round trip.
        light = [n for n in known_props if n.extras_done and n.role_number]
        heavy = [n for n in known_props if not (n.extras_done and n.role_number)]
        await asyncio.gather(
            read_facts(self, light), read_extras(self, light, relations=False), read_props(self, heavy)
        )
        flipped = [n for n in known_props if _showing(n) != was_shown[n.path]]
        for changed in flipped:
            # A popup list can become shown with no event on its items (Qt): their bounds change too.
            self._reset_extras(changed.path)
        if self.showing_only:
            # Lists left unread while hidden (live.fill_in) are read now that they may show.
            unread = [n for changed in flipped for n in self.subtree(changed, limit=1 << 20) if n.children is None]
            if unread:
                await read_props(self, unread)
                await fill_in(self, unread)
        for path in kids:
            node = self.nodes.get(path)
            if node is None:
                continue
            old = set(node.children or ())
            node.children = None
            try:
                await read_children(self, node)
            except NodeGone:
                node.children = []
            for gone in old - set(node.children or ()):
                self.forget(gone)
            fresh = [RawNode(p, parent=node.path) for p in node.children or () if p not in self.nodes]
            for child in fresh:
                self.nodes[child.path] = child
            if fresh:
                await read_props(self, fresh)
                await fill_in(self, fresh)
            self.invalidate(node.path)
        touched = [n for n in self.nodes.values() if not n.extras_done]
        read = {n.path for n in light}
        touched.extend(n for n in known_props if n.extras_done and n.path not in read)
        await read_extras(self, list({id(n): n for n in touched}.values()))
        for path in props:
            self.invalidate(path)

    def forget(self, path: str) -> None:
        node = self.nodes.pop(path, None)
        if node is not None:
            for child in node.children or ():
                self.forget(child)

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
        await read_props(self, nodes)
        await read_extras(self, nodes)

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


def _showing(node: RawNode) -> tuple[bool, bool]:
    return node.shown, State.SHOWING in node.states


@dataclass(frozen=True, slots=True)
class AppNames:
    name: str
    toolkit: str
    toolkit_version: str

    @property
    def gtk3(self) -> bool:
        return self.toolkit.lower() == "gtk" and self.toolkit_version.startswith("3.")


async def read_app_names(channel: Channel) -> AppNames:
    """Name, toolkit and toolkit version of an application root ("" where the app does not say)."""
    calls = [
        channel.call(c.ROOT_PATH, c.I_PROPERTIES, "Get", "ss", [interface, prop])
        for interface, prop in (
            (c.I_ACCESSIBLE, "Name"),
            (c.I_APPLICATION, "ToolkitName"),
            (c.I_APPLICATION, "Version"),
        )
    ]
    replies: list[Any] = list(await asyncio.gather(*calls, return_exceptions=True))
    name, toolkit, version = (str(r[0].value) if isinstance(r, list) else "" for r in replies)
    return AppNames(name, toolkit, version)
