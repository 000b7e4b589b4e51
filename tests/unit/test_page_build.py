"""A whole-page read's Nodes (page_rows.build_all, one tight loop) are the Nodes page.py builds one at a time
for the same rows (PageMirror.node, used for patches and read-backs)."""

from __future__ import annotations

from typing import Any

from deskhand.backends.browser.page import WebPage
from deskhand.backends.browser.page_rows import STATE_WORDS, build_all
from deskhand.tree.node import Node

SHOWN = 1 << STATE_WORDS.index("showing") | 1 << STATE_WORDS.index("enabled")
ROWS: list[list[Any]] = [
    [1, -1, "generic", "", None, SHOWN, 0, 0, 800, 600],
    [2, 0, "form", "Sign up", None, SHOWN, 10, 10, 300, 200, "", "", [], "/send", ["signup", "", "", ""]],
    [3, 1, "LabelText", "Name", None, SHOWN, 10, 10, 50, 20],
    [4, 1, "textbox", "Name", "Ada", SHOWN, 70, 10, 100, 20, "your name", "First Last", [3], "", ["n", "name"]],
    [5, 0, "cell", "42", None, 0, 0, 0, 0, 0],
    [6, 0, "madeUpRole", "x", None, SHOWN, 1, 2, 3, 4, "tip"],
]


class Session:
    class target:  # noqa: N801 - the attribute CdpSession has
        id = "T1"

    def on_event(self, handler: object) -> None:
        return None


def test_the_whole_read_builds_the_nodes_node_by_node_building_gives() -> None:
    page = WebPage(Session(), "chromium")  # type: ignore[arg-type]
    page.mirror.nonce = "n0"
    kids: dict[int, list[int]] = {1: [2, 5, 6], 2: [3, 4], 3: [], 4: [], 5: [], 6: []}
    built: dict[int, Node] = {}
    build_all(ROWS, kids, built, (5, 80), page.mirror.ref_start(), "chromium", page.mirror.states)
    one_by_one: dict[int, Node] = {}
    for row in reversed(ROWS):
        one_by_one[row[0]] = page.mirror.node(row, tuple(one_by_one[k] for k in kids[row[0]]), (5, 80))
    assert built == one_by_one
    field = built[4]
    assert field.ref == "cdp:T1|n0.4" and field.labelled_by == ("cdp:T1|n0.3",)
    assert field.attributes["placeholder"] == "First Last" and field.bounds is not None and field.bounds.x == 75
    assert built[5].bounds is None and built[6].role == "generic"
