"""What the backend knows of one application's tree: its raw nodes, what events marked dirty, and the neutral
``Node``s built from them. How the tree is read lives in reader.py (and cache, live, extras, strangers);
those modules work on this model, so none of them needs the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel
from deskhand.backends.atspi.echoes import Echoes
from deskhand.errors import NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

# Events from unknown elements worth tracing back to the tree (per sync); see strangers.py.
MAX_STRANGERS = 64
# The shift of a GTK 4 popover whose surface is not on screen (not mapped yet): its contents have no place.
UNPLACED = (-(2**31), -(2**31))


@dataclass(slots=True)
class RawNode:
    """What the backend knows of one accessible object; mutable, owned by one AppTree."""

    path: str
    parent: str = ""
    index: int = -1
    child_count: int = 0
    children: list[str] | None = None
    interfaces: frozenset[str] = frozenset()
    # False when ``interfaces`` holds only what a bulk read could vouch for (shape.read_tree): ask the app.
    interfaces_known: bool = True
    name: str = ""
    role_number: int = 0
    description: str = ""
    state_words: list[int] = field(default_factory=list)
    states: frozenset[str] = frozenset()
    bounds: Bounds | None = None
    # Extents a bulk read brought (shape.read_tree), taken by the next extras read instead of asking the node.
    bulk_bounds: Bounds | None = None
    value: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    labelled_by: tuple[str, ...] = ()
    extras_done: bool = False
    lean: bool = False  # read without GetAll: description and attributes come with the extras
    built: Node | None = None

    @property
    def role(self) -> str:
        return c.map_role(self.role_number)[0]

    @property
    def shown(self) -> bool:
        return State.SHOWING in self.states or State.VISIBLE in self.states

    def set_states(self, words: list[int]) -> None:
        self.state_words = list(words)
        self.states = states_of(self.role_number, words)


def states_of(role_number: int, words: list[int]) -> frozenset[str]:
    """The neutral states of a node of this AT-SPI role with these state bits (kept: most nodes of a tree
    share a few combinations, and a page has thousands of nodes)."""
    key = (role_number == c.ROLE_PASSWORD_TEXT, *words)
    found = _STATES.get(key)
    if found is None:
        if len(_STATES) > 4096:
            _STATES.clear()
        found = _STATES[key] = _states_of(role_number, words)
    return found


_STATES: dict[tuple[object, ...], frozenset[str]] = {}


def _states_of(role_number: int, words: list[int]) -> frozenset[str]:
    states = set(c.states_from_bits(words))
    if role_number == c.ROLE_PASSWORD_TEXT:
        states.add(State.PASSWORD)
    if State.SENSITIVE in states:
        states.add(State.ENABLED)
    return frozenset(states)


# Elements that became shown kept for the next sync's look for popup menus.
MAX_SHOWN_LATELY = 64


class TreeState:
    """The model of one application's tree, as reads and events keep it (reader.AppTree reads it)."""

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
        text_end: int = -1,
    ) -> None:
        """``trust_empty``: the cache's "no children" is true (GTK3; GTK4 says 0 for unwalked parents).
        ``showing_only``: SHOWING alone says what is on screen (GTK3; GTK4 sets only VISIBLE).
        ``text_end``: the end offset that asks Text.GetText for all of a text (GTK 4 answers "" to -1)."""
        self.bus_name = bus_name
        self.channel = channel
        self.app_name = app_name
        self.toolkit = toolkit
        self.use_cache = use_cache
        self.trust_empty = trust_empty
        self.showing_only = showing_only
        self.text_end = text_end
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
        # Popup menus their parent does not list (Qt leaves Qt::Popup windows out of the application's
        # children): parent path → the popups found through their events, listed as its children while shown.
        self.adopted: dict[str, set[str]] = {}
        # Elements that became shown since the last sync, the latest last (a popup is what showed last).
        self.shown_lately: dict[str, None] = {}
        self.syncing = False
        # GTK 4 places a popover's contents as if its surface sat at its parent widget (measured on 4.8):
        # given the popover's reported box, where its surface really is (an X popup of that size).
        self.popup_surface: Callable[[Bounds], tuple[int, int] | None] | None = None
        # Text written from the caller's thread (write_back.py): writes not yet kept in this model, and the
        # TextChanged events each write will echo (see echoes.py).
        self.writes: set[object] = set()
        self.echoes = Echoes()
        # Counts every change to the model but text deskhand wrote and read back itself: the guard's judgement
        # of an element holds while it stays the same (kept_version, policy/judged.py).
        self.changes = 0

    def kept_root(self) -> Node | None:
        """The whole tree as built, when no event has marked anything since and no sync is under way; else
        None (sync first). Only reads, so any thread may ask: an event arriving meanwhile is one that came
        just after the call."""
        if not self.loaded or self.full_reload or self.syncing or self.writes:
            return None
        if self.dirty_props or self.dirty_children or self.strangers or self.shown_lately:
            return None
        root = self.nodes.get(c.ROOT_PATH)
        return root.built if root is not None else None

    def forget(self, path: str) -> None:
        self.changes += 1
        node = self.nodes.pop(path, None)
        if node is not None:
            for child in node.children or ():
                self.forget(child)

    def invalidate(self, path: str, *, own_text: bool = False) -> None:
        """Drop the built Node of ``path`` and its ancestors (their children tuples changed). ``own_text``: only
        the text deskhand wrote and read back changed (it does not count in ``changes``).

        Invariant: a node without a built Node has no built ancestors either, so the walk up stops at the
        first node already dropped.
        """
        if not own_text:
            self.changes += 1
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

    def mark(self, path: str, *, children: bool = False) -> None:
        self.changes += 1
        if path in self.outsiders:
            return
        if path not in self.nodes:
            # An element never read: the tree grew where no event told us (Chromium replaces a loading
            # page's document without children-changed). Placed under its known ancestor at the next sync.
            if len(self.strangers) < MAX_STRANGERS:
                self.strangers.add(path)
            return
        (self.dirty_children if children else self.dirty_props).add(path)

    def note_shown(self, path: str) -> None:
        """Kept for a look at the next sync (a popup menu?): the latest few, a popup is among the last."""
        self.changes += 1
        self.shown_lately.pop(path, None)
        self.shown_lately[path] = None
        while len(self.shown_lately) > MAX_SHOWN_LATELY:
            del self.shown_lately[next(iter(self.shown_lately))]

    def unadopt(self, path: str) -> None:
        """A popup listed only because its events showed it is hidden or gone: its parent lists it no more."""
        self.changes += 1
        for parent, popups in list(self.adopted.items()):
            if path in popups:
                popups.discard(path)
                if not popups:
                    del self.adopted[parent]
                if parent in self.nodes:
                    self.dirty_children.add(parent)

    def with_adopted(self, path: str, children: list[str]) -> list[str]:
        return children + [p for p in sorted(self.adopted.get(path, ())) if p not in children]

    def mark_defunct(self, path: str) -> None:
        """The element died: its parent's children changed, whether or not the app says so."""
        self.changes += 1
        node = self.nodes.get(path)
        if node is not None and node.parent in self.nodes:
            self.dirty_children.add(node.parent)

    # ---- building neutral nodes -----------------------------------------------------------------
    def build(self, path: str = c.ROOT_PATH, shift: tuple[int, int] | None = None) -> Node:
        node = self.nodes.get(path)
        if node is None:
            raise NodeGone(f"{path} is not part of {self.app_name}'s tree any more.")
        if node.built is not None:
            return node.built
        if shift is None:
            shift = self._popup_shift(node)  # from its ancestors: a part of a popover built on its own
        elif self.popup_surface is not None and node.role == Role.MENU and node.bounds is not None:
            shift = self.popup_surface(node.bounds) or UNPLACED
        children = tuple(self.build(p, shift) for p in node.children or () if p in self.nodes)
        role, raw_role = c.map_role(node.role_number)
        built = Node(
            ref=f"{self.bus_name}|{node.path}",
            role=role,
            name=node.name,
            description=node.description,
            value=node.value,
            states=node.states,
            bounds=_moved(node.bounds, shift),
            actions=("press",) if c.I_ACTION in node.interfaces else (),
            children=children,
            app=self.app_name,
            raw_role=raw_role,
            attributes=MappingProxyType(dict(node.attributes)),
            labelled_by=node.labelled_by,
        )
        node.built = built
        return built

    def _popup_shift(self, node: RawNode) -> tuple[int, int]:
        """How far ``node``'s reported place is off, when it lies in a misplaced popover (GTK 4)."""
        if self.popup_surface is None:
            return (0, 0)
        current: RawNode | None = node
        for _ in range(256):
            if current is None or not current.parent:
                return (0, 0)
            if current.role == Role.MENU and current.bounds is not None:
                return self.popup_surface(current.bounds) or UNPLACED
            current = self.nodes.get(current.parent)
        return (0, 0)


def _moved(bounds: Bounds | None, shift: tuple[int, int]) -> Bounds | None:
    if shift == UNPLACED:
        return None
    if bounds is None or shift == (0, 0):
        return bounds
    return Bounds(bounds.x + shift[0], bounds.y + shift[1], bounds.width, bounds.height)
