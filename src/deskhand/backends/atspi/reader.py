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
from dataclasses import dataclass
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bulk_kinds import apply_kinds, query_kinds
from deskhand.backends.atspi.bus import Channel
from deskhand.backends.atspi.cache import load_cache
from deskhand.backends.atspi.extras import read_extras
from deskhand.backends.atspi.live import (
    fill_in,
    read_children,
    read_facts,
    read_kinds,
    read_props,
    read_props_lean,
)
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.backends.atspi.shape import list_descendants, place_in_order, read_tree, reads_shape_in_one_call
from deskhand.backends.atspi.strangers import adopt_popups, drop_unreached, place_strangers
from deskhand.errors import NodeGone
from deskhand.tree.roles import State


class AppTree(TreeState):
    """The live model of one application's tree, and how it is read and kept current."""

    # ---- loading -------------------------------------------------------------------------------
    async def sync(self) -> None:
        """Bring the model up to date: a full load the first time, else only what events touched."""
        self.syncing = True
        try:
            await self._sync()
        finally:
            self.syncing = False
            self.changes += 1  # whatever the sync read counts as changed

    async def _sync(self) -> None:
        if self.full_reload or not self.loaded:
            # Cleared first: what changes while the load runs is read again at the next sync. Elements shown
            # lately are kept: a popup no parent lists is found only through them (a window event that
            # asks for a full load can come with the popup's own showing event). So are strangers the load
            # does not reach: GTK 4's context menu, under a widget its parent does not list, shows itself
            # only through its items' events.
            self.dirty_props.clear()
            self.dirty_children.clear()
            strangers = set(self.strangers)
            self.strangers.clear()
            await self._full_load()
            self.full_reload = False
            self.loaded = True
            self.strangers.update(p for p in strangers if p not in self.nodes)
            if not self.shown_lately and not self.strangers:
                return
        if self.strangers:
            await place_strangers(self)
        if self.shown_lately:
            await adopt_popups(self)
        if not (self.dirty_props or self.dirty_children):
            return
        props, kids = set(self.dirty_props), set(self.dirty_children)
        self.dirty_props.clear()
        self.dirty_children.clear()
        await self._refresh(props, kids)

    async def _full_load(self) -> None:
        self.nodes = {}
        self.outsiders.clear()
        if self.prune is None and reads_shape_in_one_call(self.toolkit) and await self._load_by_shape():
            await read_extras(self, list(self.nodes.values()))
            return
        if self.use_cache:
            await load_cache(self)
        root = self.nodes.get(c.ROOT_PATH)
        if root is None:
            root = RawNode(c.ROOT_PATH)
            self.nodes[c.ROOT_PATH] = root
            await read_props(self, [root])
        await fill_in(self, [root])
        drop_unreached(self)
        await read_extras(self, [n for n in self.nodes.values() if not n.extras_done])

    async def _load_by_shape(self) -> bool:
        """Every node listed in one call, the rest of their facts in one pipelined batch (shape.py)."""
        # The kinds' queries go out with GetTree: the app answers them while deskhand decodes the tree.
        listed, kinds = await asyncio.gather(read_tree(self), query_kinds(self))
        if listed is not None:
            if kinds is None:
                await read_kinds(self, listed)
            else:
                await apply_kinds(self, listed, kinds)
            if place_in_order(listed[0], listed[1:]):
                self.nodes = {node.path: node for node in listed}
                return True
        paths = await list_descendants(self)
        if paths is None:
            return False
        root = RawNode(c.ROOT_PATH)
        ordered = [RawNode(path) for path in paths]
        await read_props_lean(self, [root, *ordered])
        if not place_in_order(root, ordered):
            return False
        self.nodes = {node.path: node for node in (root, *ordered)}
        return True

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

    async def reread(self, nodes: list[RawNode]) -> None:
        await read_props(self, nodes)
        await read_extras(self, nodes)


def _showing(node: RawNode) -> tuple[bool, bool]:
    return node.shown, State.SHOWING in node.states


# LibreOffice's process names as its application root gives them (one process runs every module).
_VCL_APPS = frozenset({"soffice", "soffice.bin", "libreoffice"})


@dataclass(frozen=True, slots=True)
class AppNames:
    name: str
    toolkit: str
    toolkit_version: str

    @property
    def gtk3(self) -> bool:
        return self.toolkit.lower() == "gtk" and self.toolkit_version.startswith("3.")

    @property
    def gtk4(self) -> bool:
        return self.toolkit.lower() == "gtk" and self.toolkit_version.startswith("4.")

    @property
    def vcl(self) -> bool:
        """LibreOffice's own toolkit (VCL) over GTK: the bus says GTK; only the app's name tells VCL apart."""
        return self.name.lower() in _VCL_APPS


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
