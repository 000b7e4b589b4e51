"""write_back.as_read, the element as read back after a fill: the same node as ``dataclasses.replace`` gives,
every other field kept (a field added to Node that it dropped or misplaced would fail here)."""

from __future__ import annotations

from dataclasses import fields, replace

from deskhand.backends.atspi.write_back import as_read
from deskhand.tree.node import Bounds, Node


def _every_field_set() -> Node:
    child = Node(ref=":1.2|/c", role="label", name="child")
    return Node(
        ref=":1.2|/a/15",
        role="text",
        name="Name",
        description="Your name",
        value="old",
        states=frozenset({"enabled", "editable"}),
        bounds=Bounds(1, 2, 3, 4),
        actions=("activate",),
        children=(child,),
        app="zenity",
        raw_role="entry",
        attributes={"toolkit": "gtk"},
        labelled_by=(":1.2|/a/14",),
    )


def test_as_read_is_replace_with_the_value_and_states_read() -> None:
    node = _every_field_set()
    assert as_read(node, "new") == replace(node, value="new")
    assert as_read(node, "", frozenset({"enabled"})) == replace(node, value="", states=frozenset({"enabled"}))
    # Every field differs from its default above, so a field dropped or swapped would show.
    assert all(getattr(node, f.name) != f.default for f in fields(Node) if f.name not in ("attributes",))
