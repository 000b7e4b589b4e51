"""Node <-> JSON-able dict, the shape of ``deskhand inspect --json``, and tree files on disk.

    {"ref": "…", "role": "button", "name": "Save", "states": ["enabled", "focusable"],
     "bounds": {"x": 10, "y": 20, "width": 80, "height": 30}, "value": null, "children": [ … ]}

``description``, ``actions``, ``app``, ``raw_role``, ``attributes`` and ``labelled_by`` appear only when
non-empty.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from deskhand.errors import BackendError
from deskhand.tree.node import Bounds, Node


def node_to_dict(node: Node) -> dict[str, Any]:
    """The JSON-able form of ``node`` and its subtree."""
    data: dict[str, Any] = {
        "ref": node.ref,
        "role": node.role,
        "name": node.name,
        "states": sorted(node.states),
        "bounds": _bounds_to_dict(node.bounds),
        "value": node.value,
    }
    if node.description:
        data["description"] = node.description
    if node.actions:
        data["actions"] = list(node.actions)
    if node.app:
        data["app"] = node.app
    if node.raw_role:
        data["raw_role"] = node.raw_role
    if node.attributes:
        data["attributes"] = dict(node.attributes)
    if node.labelled_by:
        data["labelled_by"] = list(node.labelled_by)
    data["children"] = [node_to_dict(child) for child in node.children]
    return data


def node_from_dict(data: Mapping[str, Any], *, source: str = "tree data") -> Node:
    """Rebuild a Node from node_to_dict()'s shape; BackendError names the bad node and key."""
    try:
        return _node_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackendError(
            f"{source} is not a deskhand tree: {type(error).__name__}: {error}.",
            hint="Produce it with `deskhand inspect --json` or serialize.node_to_dict(); every node needs "
            "'ref' and 'role'.",
        ) from error


def _node_from_dict(data: Mapping[str, Any]) -> Node:
    bounds = data.get("bounds")
    return Node(
        ref=str(data["ref"]),
        role=str(data["role"]),
        name=str(data.get("name") or ""),
        description=str(data.get("description") or ""),
        value=None if data.get("value") is None else str(data["value"]),
        states=frozenset(str(state) for state in data.get("states") or ()),
        bounds=None if bounds is None else Bounds(**{k: int(bounds[k]) for k in ("x", "y", "width", "height")}),
        actions=tuple(str(action) for action in data.get("actions") or ()),
        children=tuple(_node_from_dict(child) for child in data.get("children") or ()),
        app=str(data.get("app") or ""),
        raw_role=str(data.get("raw_role") or ""),
        attributes=MappingProxyType({str(k): str(v) for k, v in (data.get("attributes") or {}).items()}),
        labelled_by=tuple(str(ref) for ref in data.get("labelled_by") or ()),
    )


def _bounds_to_dict(bounds: Bounds | None) -> dict[str, int] | None:
    if bounds is None:
        return None
    return {"x": bounds.x, "y": bounds.y, "width": bounds.width, "height": bounds.height}


def dumps_tree(node: Node) -> str:
    """JSON with one node per line, children indented under their parent: small diffs, easy to read."""
    lines: list[str] = []
    _write_node(node_to_dict(node), 0, lines, last=True)
    return "\n".join(lines)


def _write_node(data: dict[str, Any], depth: int, lines: list[str], *, last: bool) -> None:
    pad = " " * depth
    own = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items() if k != "children")
    children = data["children"]
    close = "}" if last else "},"
    if not children:
        lines.append(f'{pad}{{{own}, "children": []{close}')
        return
    lines.append(f'{pad}{{{own}, "children": [')
    for index, child in enumerate(children):
        _write_node(child, depth + 1, lines, last=index == len(children) - 1)
    lines.append(f"{pad}]{close}")


def save_tree(node: Node, path: str | Path) -> None:
    """Write ``node`` as JSON to ``path`` (UTF-8), one node per line."""
    Path(path).write_text(dumps_tree(node) + "\n", encoding="utf-8")


def load_tree(path: str | Path) -> Node:
    """Read a tree written by save_tree() or ``deskhand inspect --json``."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise BackendError(
            f"Could not read the tree file {str(file)!r}: {error.strerror or error}.",
            hint="Check the path; tree files are written by `deskhand inspect --json > FILE`.",
        ) from error
    except json.JSONDecodeError as error:
        raise BackendError(
            f"The tree file {str(file)!r} is not valid JSON (line {error.lineno}, column {error.colno}).",
            hint="Re-create it with `deskhand inspect --json`.",
        ) from error
    if not isinstance(data, dict):
        raise BackendError(
            f"The tree file {str(file)!r} holds a {type(data).__name__}, not a node object.",
            hint="The top level must be one node object with 'ref', 'role' and 'children'.",
        )
    return node_from_dict(data, source=f"The tree file {str(file)!r}")
