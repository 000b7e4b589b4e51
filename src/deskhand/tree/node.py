"""The backend-neutral element: what every backend produces and every layer above reads."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Bounds:
    """Screen rectangle in pixels (x, y of the top-left corner)."""

    x: int
    y: int
    width: int
    height: int

    @property
    def center(self) -> tuple[int, int]:
        return (self.x + self.width // 2, self.y + self.height // 2)

    @property
    def area(self) -> int:
        return max(self.width, 0) * max(self.height, 0)

    @property
    def empty(self) -> bool:
        return self.width <= 0 or self.height <= 0

    def contains(self, other: Bounds) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.x + other.width <= self.x + self.width
            and other.y + other.height <= self.y + self.height
        )

    def intersects(self, other: Bounds) -> bool:
        return not (
            other.x >= self.x + self.width
            or other.x + other.width <= self.x
            or other.y >= self.y + self.height
            or other.y + other.height <= self.y
        )


_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Node:
    """One accessible element and its subtree, as of one snapshot.

    ``ref`` is the backend's stable identity of the element (for AT-SPI: bus name + object path); it
    stays the same across snapshots while the element lives. ``role`` is from :mod:`deskhand.tree.roles`;
    ``states`` from :class:`deskhand.tree.roles.State`. ``value`` is the text of an editable or the value of
    a range control (slider, spin button); ``None`` when the element has neither.
    """

    ref: str
    role: str
    name: str = ""
    description: str = ""
    value: str | None = None
    states: frozenset[str] = frozenset()
    bounds: Bounds | None = None
    actions: tuple[str, ...] = ()
    children: tuple[Node, ...] = ()
    app: str = ""
    raw_role: str = ""
    attributes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    labelled_by: tuple[str, ...] = ()

    def walk(self) -> Iterator[Node]:
        """This node and every descendant, depth first, in document order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def walk_with_ancestors(self) -> Iterator[tuple[Node, tuple[Node, ...]]]:
        """Each node with the chain of its ancestors (outermost first)."""
        stack: list[tuple[Node, tuple[Node, ...]]] = [(self, ())]
        while stack:
            node, ancestors = stack.pop()
            yield node, ancestors
            below = (*ancestors, node)
            stack.extend((child, below) for child in reversed(node.children))

    def find(self, ref: str) -> Node | None:
        for node in self.walk():
            if node.ref == ref:
                return node
        return None

    def has(self, state: str) -> bool:
        return state in self.states

    @property
    def placeholder(self) -> str:
        return self.attributes.get("placeholder-text", "") or self.attributes.get("placeholder", "")

    @property
    def text(self) -> str:
        """What a person reads on the element: its value if it has one, else its name."""
        return self.value if self.value else self.name
