"""A tree rebuilt from depth-first order and child counts (Collection.GetMatches), and refused when the two
disagree (the page changed between the calls), so the reader walks it instead."""

from __future__ import annotations

from deskhand.backends.atspi.model import RawNode
from deskhand.backends.atspi.shape import place_in_order


def _nodes(counts: dict[str, int]) -> tuple[RawNode, list[RawNode]]:
    made = [RawNode(path, child_count=count) for path, count in counts.items()]
    return made[0], made[1:]


def test_depth_first_order_and_counts_give_the_tree() -> None:
    # root ─ a ─ a1, a2 ; root ─ b ; a2 ─ x
    root, ordered = _nodes({"/root": 2, "/a": 2, "/a1": 0, "/a2": 1, "/x": 0, "/b": 0})
    assert place_in_order(root, ordered)
    by_path = {n.path: n for n in (root, *ordered)}
    assert root.children == ["/a", "/b"]
    assert by_path["/a"].children == ["/a1", "/a2"]
    assert by_path["/a2"].children == ["/x"]
    assert by_path["/x"].parent == "/a2" and by_path["/b"].parent == "/root"
    assert by_path["/a2"].index == 1 and by_path["/b"].index == 1
    assert by_path["/b"].children == [] and by_path["/x"].children == []


def test_counts_that_do_not_add_up_are_refused_and_nodes_left_alone() -> None:
    for counts in (
        {"/root": 2, "/a": 0},  # a child announced and never listed
        {"/root": 1, "/a": 0, "/b": 0},  # a node listed beyond every count
        {"/root": 1, "/a": -1, "/b": 0},  # a count the app does not know
    ):
        root, ordered = _nodes(counts)
        assert not place_in_order(root, ordered)
        assert all(node.children is None for node in (root, *ordered))
