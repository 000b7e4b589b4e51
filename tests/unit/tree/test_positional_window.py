"""positional_labels looks only at fields near each label: the result must equal the scan of every field."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deskhand.tree.node import Bounds, Node
from deskhand.tree.positional import _field_labelled_by_position, _is_field, positional_labels
from deskhand.tree.roles import Role

boxes = st.builds(
    Bounds,
    st.integers(0, 600),
    st.integers(0, 600),
    st.integers(0, 300),
    st.integers(0, 60),
)
kinds = st.sampled_from([Role.LABEL, Role.TEXT, Role.TEXTBOX, Role.CHECKBOX, Role.CELL, Role.BUTTON])


def every_field_scan(root: Node) -> dict[str, list[str]]:
    """The definition: each label against every field of the tree."""
    fields = [node for node in root.walk() if _is_field(node) and node.bounds is not None]
    beside: dict[str, list[str]] = {}
    above: dict[str, list[str]] = {}
    for node in root.walk():
        if node.role not in (Role.LABEL, Role.TEXT) or node.bounds is None or not node.name:
            continue
        placed = _field_labelled_by_position(node.bounds, fields)
        if placed is not None:
            field, on_row = placed
            (beside if on_row else above).setdefault(field.ref, []).append(node.name)
    return {**above, **beside}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(kinds, boxes), max_size=40))
def test_the_window_finds_what_the_full_scan_finds(parts: list[tuple[str, Bounds]]) -> None:
    children = tuple(
        Node(ref=f"n{i}", role=role, name=f"name {i % 7}", bounds=box) for i, (role, box) in enumerate(parts)
    )
    root = Node(ref="root", role=Role.WINDOW, children=children)
    assert positional_labels(root) == every_field_scan(root)
