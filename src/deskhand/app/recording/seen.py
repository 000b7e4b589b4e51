"""An element as the recorder saw it in an app's tree, and the words a person reads for it."""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.app.recording.pointer import CLICKABLE
from deskhand.backends.base import AppInfo
from deskhand.runner.menus import MENU_ROLES, is_item
from deskhand.tree.match import positional_labels
from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES, Role, State


@dataclass(frozen=True, slots=True)
class Seen:
    """An element as the tree showed it, with the words the runner will look for it by."""

    node: Node
    ancestors: tuple[Node, ...]
    app: AppInfo
    label: str

    @property
    def top(self) -> Node | None:
        """The top-level window the element is in: the outermost window or dialog above it, else the
        application's child it is under (Qt's top-level widget is no window role)."""
        top = next((a for a in self.ancestors if a.role in WINDOW_ROLES), None)
        if top is None and len(self.ancestors) > 1 and self.ancestors[1].name.strip():
            return self.ancestors[1]
        return top


def label_of(tree: Node, node: Node) -> str:
    """What a person reads as the element's name: the label pointing at it, else its own name."""
    for ref in node.labelled_by:
        label = tree.find(ref)
        if label is not None and label.name.strip():
            return label.name.strip().rstrip(":")
    if node.role not in CLICKABLE and not node.name and not node.has(State.MULTILINE):
        # The same guess the locator makes for fields with no relation (zenity's form entries).
        placed = positional_labels(tree).get(node.ref, [])
        if placed:
            return placed[0].strip().rstrip(":")
    return (node.name or node.placeholder).strip()


def menu_item(seen: Seen) -> bool:
    return seen.node.role in MENU_ROLES and is_item(seen.node, seen.ancestors)


def in_combo(seen: Seen) -> bool:
    return any(a.role == Role.COMBOBOX for a in seen.ancestors)
