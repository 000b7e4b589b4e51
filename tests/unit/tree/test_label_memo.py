"""The last search by label reused while the tree is laid out as it was (tree/label_memo.py): the same matches
as a fresh search, taken from the tree as it is now, and a fresh search once anything a label search reads
has changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from deskhand.tree.match import RoleIndex, find_all
from deskhand.tree.node import Bounds, Node
from deskhand.tree.selector import Selector

Load = Callable[[str], Node]


def changed(root: Node, ref: str, **fields: Any) -> Node:
    """``root`` with the node ``ref`` changed and the path above it new, as an event-kept tree rebuilds it."""
    if root.ref == ref:
        return replace(root, **fields)
    children = tuple(changed(child, ref, **fields) for child in root.children)
    if all(new is old for new, old in zip(children, root.children, strict=True)):
        return root
    return replace(root, children=children)


def refs(root: Node, selector: Selector, index: RoleIndex | None = None) -> list[tuple[str, int, list[str]]]:
    return [(m.ref, m.rank, [up.ref for up in m.ancestors]) for m in find_all(root, selector, index=index)]


def the_field(root: Node, label: str) -> Node:
    (match,) = find_all(root, Selector(label=label))
    return match.node


def test_a_fill_leaves_the_search_to_be_reused_on_the_new_tree(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    index = RoleIndex()
    selector = Selector(label="Name")
    first = find_all(tree, selector, index=index)
    field = the_field(tree, "Name")
    filled = changed(tree, field.ref, value="Ada")
    again = find_all(filled, selector, index=index)
    assert refs(filled, selector, index) == refs(filled, selector)  # as a fresh search finds
    # The match is the node of the tree as it is now (its new text), not the one the first search saw.
    assert again[0].node.value == "Ada" and first[0].node.value != "Ada"
    assert again[0].ancestors[0] is filled


def test_a_moved_label_is_searched_again(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    index = RoleIndex()
    selector = Selector(label="Name")
    name_field = the_field(tree, "Name")
    email_field = the_field(tree, "Email:")
    assert find_all(tree, selector, index=index)[0].ref == name_field.ref
    label = next(n for n in tree.walk() if n.role == "label" and n.name == "Name")
    assert label.bounds is not None and email_field.bounds is not None
    # The label now sits on the email field's row: it names that field.
    moved = changed(tree, label.ref, bounds=Bounds(label.bounds.x, email_field.bounds.y, *label_size(label)))
    assert [m.ref for m in find_all(moved, selector, index=index)] == [m.ref for m in find_all(moved, selector)]
    assert find_all(moved, selector, index=index)[0].ref != name_field.ref


def test_a_search_that_reads_text_is_searched_again_when_a_value_changes(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    index = RoleIndex()
    field = the_field(tree, "Name")
    selector = Selector(label="Name", text="Grace")
    assert find_all(tree, selector, index=index) == []
    filled = changed(tree, field.ref, value="Grace")
    assert [m.ref for m in find_all(filled, selector, index=index)] == [field.ref]


def label_size(node: Node) -> tuple[int, int]:
    assert node.bounds is not None
    return node.bounds.width, node.bounds.height
