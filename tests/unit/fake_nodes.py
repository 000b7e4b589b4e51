"""Nodes for FakeBackend trees in unit tests: ``n(ref, role, name, *children, **fields)``, shown by default."""

from __future__ import annotations

from types import MappingProxyType

from deskhand.tree.node import Node

SHOWN = frozenset({"visible", "showing", "enabled", "sensitive", "focusable"})
EDITABLE = SHOWN | {"editable"}


def n(ref: str, role: str, name: str = "", *children: Node, **fields: object) -> Node:
    """A node with ``SHOWN`` states unless ``states`` says otherwise; ``attrs`` (a dict) are its attributes."""
    fields.setdefault("states", SHOWN)
    attrs = fields.pop("attrs", None)
    if isinstance(attrs, dict):
        fields["attributes"] = MappingProxyType(attrs)
    return Node(ref=ref, role=role, name=name, children=children, **fields)  # type: ignore[arg-type]
