"""Which tab shows which document node (backends/tabs.py): a tab follows its current document when
Chromium keeps the node of the document it left (the changed-app suite lost its page that way: the new
document was judged tabless for good, and every step after it found nothing)."""

from __future__ import annotations

from typing import Any

from deskhand.backends.browser.cdp import Target
from deskhand.backends.tabs import Tabs
from deskhand.tree.node import Node

SHOWN = frozenset({"showing", "visible"})


class FakeSession:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.closed = False

    def on_event(self, listener: Any) -> None:
        return None


class FakeBrowser:
    """One tab, whose title is the page it shows now."""

    def __init__(self, title: str) -> None:
        self.tab = Target("T1", title, "http://127.0.0.1/signup", "ws://x")
        self.sessions: dict[str, FakeSession] = {}

    def pages(self) -> list[Target]:
        return [self.tab]

    def session(self, target: Target) -> FakeSession:
        return self.sessions.setdefault(target.id, FakeSession(target))


def doc(ref: str, name: str, *, shown: bool = True) -> Node:
    return Node(ref=f":1.9|{ref}", role="document", name=name, states=SHOWN if shown else frozenset())


def bound(tabs: Tabs, browser: FakeBrowser, *documents: Node) -> dict[str, str]:
    pairs = tabs.pages_of(browser, list(documents), "Chromium")  # type: ignore[arg-type]
    return {document.ref.partition("|")[2]: page.target_id for document, page in pairs}


def test_a_hidden_old_node_gives_its_tab_to_the_shown_new_document() -> None:
    tabs, browser = Tabs(), FakeBrowser("Sign up")
    assert bound(tabs, browser, doc("old", "Sign up")) == {"old": "T1"}
    # The tab navigated to the same address: a new node, the old one kept but hidden.
    assert bound(tabs, browser, doc("old", "Sign up", shown=False), doc("new", "Sign up")) == {"new": "T1"}
    assert bound(tabs, browser, doc("new", "Sign up")) == {"new": "T1"}


def test_a_tab_whose_node_left_the_tree_goes_to_the_document_judged_tabless_meanwhile() -> None:
    tabs, browser = Tabs(), FakeBrowser("Sign up")
    assert bound(tabs, browser, doc("old", "Sign up")) == {"old": "T1"}
    # Both shown for a moment: the tab stays where it was, the new node has none yet.
    assert bound(tabs, browser, doc("old", "Sign up"), doc("new", "Sign up")) == {"old": "T1"}
    # The old node is dropped: the new one gets the tab at once (it was marked tabless under the same name).
    assert bound(tabs, browser, doc("new", "Sign up")) == {"new": "T1"}


def test_a_hidden_node_keeps_its_tab_when_another_tab_has_the_title() -> None:
    tabs, browser = Tabs(), FakeBrowser("Report")
    assert bound(tabs, browser, doc("bg", "Report")) == {"bg": "T1"}
    second = Target("T2", "Report", "http://127.0.0.1/tools", "ws://y")
    browser.pages = lambda: [browser.tab, second]  # type: ignore[method-assign]
    pairs = bound(tabs, browser, doc("bg", "Report", shown=False), doc("front", "Report"))
    assert pairs == {"bg": "T1", "front": "T2"}
