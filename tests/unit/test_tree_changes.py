"""TreeState.changes, the version the guard keeps its judgement of an element under (policy/judged.py): every
change to the model counts, except text deskhand wrote into a field and read back itself."""

from __future__ import annotations

from typing import Any, cast

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.backends.atspi.write_back import _STATES_AS_KEPT, _keep

FIELD = "/org/a11y/atspi/accessible/2"


def a_tree() -> tuple[TreeState, RawNode]:
    tree = TreeState(":1.5", cast(Any, None), "zenity")
    root = RawNode(c.ROOT_PATH, children=[FIELD], name="zenity")
    field = RawNode(FIELD, parent=c.ROOT_PATH, name="Name", value="")
    tree.nodes = {root.path: root, field.path: field}
    tree.loaded, tree.full_reload = True, False
    tree.build()
    return tree, field


def test_text_written_and_read_back_is_no_change() -> None:
    tree, field = a_tree()
    before = tree.changes
    _keep(tree, field, "Ada", _STATES_AS_KEPT)
    assert tree.changes == before
    kept = tree.kept_root()
    assert kept is not None and kept.children[0].value == "Ada"  # the model holds the text all the same


def test_states_read_back_with_the_text_count_as_a_change() -> None:
    tree, field = a_tree()
    before = tree.changes
    _keep(tree, field, "", [0, 0])
    assert tree.changes > before


def test_events_and_reads_count_as_changes() -> None:
    tree, _ = a_tree()
    seen = [tree.changes]
    tree.mark(FIELD)  # an event: the field changed
    seen.append(tree.changes)
    tree.invalidate(FIELD)  # a read brought something new
    seen.append(tree.changes)
    tree.mark_defunct(FIELD)
    seen.append(tree.changes)
    tree.forget(FIELD)
    seen.append(tree.changes)
    assert seen == sorted(set(seen))  # each one a new version
