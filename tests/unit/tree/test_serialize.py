from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import pytest

from deskhand.errors import BackendError
from deskhand.tree.node import Bounds, Node
from deskhand.tree.serialize import dumps_tree, load_tree, node_from_dict, node_to_dict, save_tree

Load = Callable[[str], Node]


def test_dict_shape_lists_optional_keys_only_when_set() -> None:
    bare = Node(ref="r1", role="button", name="OK", states=frozenset({"focusable", "enabled"}))
    assert node_to_dict(bare) == {
        "ref": "r1",
        "role": "button",
        "name": "OK",
        "states": ["enabled", "focusable"],
        "bounds": None,
        "value": None,
        "children": [],
    }
    full = Node(
        ref="r2",
        role="textbox",
        name="Email",
        description="Work address",
        value="a@b.c",
        bounds=Bounds(1, 2, 3, 4),
        actions=("activate",),
        app="gedit",
        raw_role="entry",
        attributes=MappingProxyType({"placeholder-text": "you@example.com"}),
        labelled_by=("r3",),
        children=(bare,),
    )
    data = node_to_dict(full)
    assert data["bounds"] == {"x": 1, "y": 2, "width": 3, "height": 4}
    assert data["description"] == "Work address" and data["labelled_by"] == ["r3"]
    assert data["attributes"] == {"placeholder-text": "you@example.com"}
    assert node_from_dict(json.loads(json.dumps(data))) == full


@pytest.mark.parametrize("name", ["zenity_form", "gtk_save_dialog", "web_form", "big_table"])
def test_fixture_files_round_trip(fixture_tree: Load, name: str, tmp_path: Path) -> None:
    tree = fixture_tree(name)
    path = tmp_path / f"{name}.json"
    save_tree(tree, path)
    assert load_tree(path) == tree
    assert json.loads(dumps_tree(tree)) == node_to_dict(tree)


def test_bad_files_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="Could not read"):
        load_tree(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"ref": ', encoding="utf-8")
    with pytest.raises(BackendError, match="not valid JSON"):
        load_tree(broken)
    listing = tmp_path / "list.json"
    listing.write_text("[]", encoding="utf-8")
    with pytest.raises(BackendError, match="holds a list"):
        load_tree(listing)
    no_role = tmp_path / "no_role.json"
    no_role.write_text('{"ref": "x", "children": []}', encoding="utf-8")
    with pytest.raises(BackendError, match="role") as caught:
        load_tree(no_role)
    assert "deskhand inspect --json" in caught.value.hint
