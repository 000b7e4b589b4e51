from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from deskhand.tree.events import ActionEvent, Fingerprint
from deskhand.tree.match import find_all
from deskhand.tree.node import Node
from deskhand.tree.selector import Selector

Load = Callable[[str], Node]


def test_fingerprint_of_a_match(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    match = find_all(tree, Selector.parse('role=dialog >> role=button[name="Save"]'))[0]
    print_ = Fingerprint.of(match)
    assert print_ == Fingerprint(
        role="button", name="Save", window="Save As", ancestors=("dialog:save as",), app="mousepad"
    )
    assert Fingerprint.from_dict(print_.to_dict()) == print_


def test_fingerprint_tells_same_named_elements_apart(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    toolbar_save, dialog_save = find_all(tree, Selector.parse('role=button[name="Save"][exact]'))
    fingerprint = Fingerprint.of(dialog_save)
    assert fingerprint.matches(dialog_save.node, dialog_save.ancestors)
    assert not fingerprint.matches(toolbar_save.node, toolbar_save.ancestors)
    same = [node for node, ancestors in tree.walk_with_ancestors() if fingerprint.matches(node, ancestors)]
    assert same == [dialog_save.node]


def test_fingerprint_survives_a_new_window_title_and_mnemonics(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    match = find_all(tree, Selector.parse('role=button[name="Save As…"]'))[0]
    fingerprint = Fingerprint.of(match)
    window = match.ancestors[1]
    renamed = (match.ancestors[0], replace(window, name="notes.txt - Mousepad"), *match.ancestors[2:])
    assert fingerprint.matches(replace(match.node, name="Save _As..."), renamed)
    assert not fingerprint.matches(replace(match.node, role="menuitem"), renamed)
    other_app = replace(match.ancestors[0], name="gedit")
    assert not fingerprint.matches(match.node, (other_app, *match.ancestors[1:]))


def test_action_event_to_dict() -> None:
    event = ActionEvent(
        run_id="r1", step=3, kind="fill", target={"role": "textbox", "name": "Email"}, value="•••", time=12.5
    )
    assert event.to_dict() == {
        "run_id": "r1",
        "step": 3,
        "kind": "fill",
        "target": {"role": "textbox", "name": "Email"},
        "value": "•••",
        "time": 12.5,
        "extra": {},
    }
