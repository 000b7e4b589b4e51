from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deskhand.tree.node import Node
from deskhand.tree.serialize import load_tree

TREES = Path(__file__).resolve().parents[2] / "fixtures" / "trees"


@pytest.fixture(scope="session")
def fixture_tree() -> Callable[[str], Node]:
    """Load tests/fixtures/trees/<name>.json (cached: trees are immutable)."""
    cache: dict[str, Node] = {}

    def load(name: str) -> Node:
        if name not in cache:
            cache[name] = load_tree(TREES / f"{name}.json")
        return cache[name]

    return load
