"""An Electron app without a debugging port, as far as Debian lets us have one.

Debian 12 packages no Electron app and no Electron runtime (`apt-cache search --names-only electron` lists
only the "electronics" tasks). An Electron app is Chromium's content and accessibility code in one window
of web content without browser UI, with renderer accessibility switched on (an AT on the bus, or the
`--force-renderer-accessibility` switch Electron passes through to Chromium). That is what this test
starts: Debian's Chromium in app mode (`--app=<url>`) with that switch and no debugging port, read and
operated over AT-SPI alone. The POST body the loopback server received is the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.fixtures.web.server import serve_pages

from deskhand.backends.atspi import reader, shape
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.atspi.bulk_kinds import Kinds
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.locate import Desktop
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node
from deskhand.tree.roles import Role

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def site() -> Iterator[object]:
    with serve_pages() as running:
        yield running


def test_an_app_window_of_web_content_is_read_and_operated_over_atspi_alone(site: object) -> None:
    url = site.url("form.html")  # type: ignore[attr-defined]
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=15.0) as desk:
            # The switch in the URL's place: with a URL as well, Chromium opens a browser window beside the app.
            app = virtual.launch_chromium(f"--app={url}")
            window = desk.app(app.name)
            window.get_by_role("button", name="Submit").wait_for(timeout=60)
            info = backend.find_app(app.name)
            assert info.toolkit.lower() == "chromium"  # Electron's apps answer the same
            root = backend.snapshot(info.ref)
            roles = [node.role for node in root.walk()]
            assert roles.count(Role.ROW) == 501  # the whole page: header row and 500 rows
            assert len(info.windows) == 1  # one window of web content, as an Electron app has

            window.get_by_label("First name").fill("Grace")
            window.get_by_role("textbox", name="Last name").fill("Hopper")
            window.get_by_role("checkbox", name="Accept terms").check()
            window.get_by_role("button", name="Submit").click()
            posted = site.wait_for_post(timeout=15)  # type: ignore[attr-defined]
    assert posted["first_name"] == ["Grace"]
    assert posted["last_name"] == ["Hopper"]
    assert posted["terms"] == ["yes"]
    assert "newsletter" not in posted  # left unchecked


def test_the_one_call_tree_read_gives_the_same_tree_as_the_listing(
    site: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Collection.GetTree (names, child counts, descriptions and ids of every node in one call) gives the same
    tree as the GetMatches listing with those facts read node by node: same nodes, order, roles, names,
    states, values and boxes (GetTree also brings descriptions the listing read only for actionable roles)."""
    url = site.url("form.html")  # type: ignore[attr-defined]
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=15.0) as desk:
            app = virtual.launch_chromium(f"--app={url}")
            desk.app(app.name).get_by_role("button", name="Submit").wait_for(timeout=60)
            ref = backend.find_app(app.name).ref
            calls: list[str] = []
            real_read_tree = reader.read_tree

            async def counted(tree: TreeState) -> list[RawNode] | None:
                found = await real_read_tree(tree)
                calls.append("answered" if found is not None else "refused")
                return found

            monkeypatch.setattr(reader, "read_tree", counted)
            backend.invalidate(ref)
            by_tree = _facts(backend.snapshot(ref))
            assert calls == ["answered"]

            async def refused(tree: TreeState) -> None:
                return None

            monkeypatch.setattr(reader, "read_tree", refused)
            backend.invalidate(ref)
            by_listing = _facts(backend.snapshot(ref))
    assert len(by_tree) > 4000 and list(by_tree) == list(by_listing)
    assert by_tree == by_listing


def test_roles_states_and_boxes_read_in_bulk_are_those_read_node_by_node(
    site: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk read (GetTree with every node's screen extents, roles and states told by a dozen GetMatches
    queries: atspi/bulk_kinds.py) builds the very tree the node-by-node read builds (GetRole, GetState and
    GetExtents asked of each node): every fact of every node a locator or the guard looks at."""
    url = site.url("form.html")  # type: ignore[attr-defined]
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=15.0) as desk:
            app = virtual.launch_chromium(f"--app={url}")
            desk.app(app.name).get_by_role("button", name="Submit").wait_for(timeout=60)
            ref = backend.find_app(app.name).ref
            told: list[bool] = []
            real_query = reader.query_kinds

            async def counted(tree: TreeState) -> Kinds | None:
                kinds = await real_query(tree)
                told.append(kinds is not None)
                return kinds

            monkeypatch.setattr(reader, "query_kinds", counted)
            backend.invalidate(ref)
            in_bulk = _all_facts(backend.snapshot(ref))
            assert told == [True]

            async def refused(tree: TreeState) -> None:
                return None

            monkeypatch.setattr(reader, "query_kinds", refused)
            monkeypatch.setattr(shape, "TREE_PROPERTIES", [p for p in shape.TREE_PROPERTIES if "Extents" not in p])
            backend.invalidate(ref)
            node_by_node = _all_facts(backend.snapshot(ref))
    assert len(in_bulk) > 4000 and list(in_bulk) == list(node_by_node)
    assert sum(1 for facts in in_bulk.values() if facts[4] is not None) > 250  # boxes of the shown nodes
    assert in_bulk == node_by_node


def _all_facts(root: Node) -> dict[str, tuple[object, ...]]:
    return {
        n.ref: (
            *_facts_of(n),
            n.raw_role,
            n.description,
            n.actions,
            dict(n.attributes),
            n.labelled_by,
        )
        for n in root.walk()
    }


def _facts_of(n: Node) -> tuple[object, ...]:
    return (n.role, _steady_name(n), n.value, n.states, n.bounds, tuple(c.ref for c in n.children))


def _facts(root: Node) -> dict[str, tuple[object, ...]]:
    return {
        n.ref: (n.role, _steady_name(n), n.value, n.states, n.bounds, tuple(c.ref for c in n.children))
        for n in root.walk()
    }


# Chromium appends the tab's memory use to its name when it measures it, at a moment of its own: seen between
# the two reads in a CI run ("deskhand signup form - Memory usage - 41.9 MB"). Both reads are held equal on the
# rest of the name.
_MEMORY_USAGE = re.compile(r" - Memory usage - [\d.,]+ [KMG]B$")


def _steady_name(node: Node) -> str:
    return _MEMORY_USAGE.sub("", node.name) if node.role == "tab" else node.name
