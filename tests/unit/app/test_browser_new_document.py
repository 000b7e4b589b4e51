"""The opener waits for the page it navigated to, not for any page read after Enter (app/browser.py): when
the page was between two reads as Enter went (its document node known, its nodes not), a read after Enter
holds the old page's nonce — it was judged a new document at once, and the next step clicked a button of the
page being left (the changed-app suite's tools-v2 case: 'The web element is gone from the page')."""

from __future__ import annotations

from typing import Any

from deskhand.app.browser import BrowserOpener, ShownDocuments
from deskhand.backends.base import AppInfo
from deskhand.tree.node import Node

BROWSER = AppInfo(":1.5|/org/a11y/atspi/accessible/root", "Chromium", 0, "chromium", ())


class FakeBackend:
    def version(self) -> int:
        return 0

    def wait_for_change(self, timeout: float) -> bool:
        return True


class FakeDesktop:
    def __init__(self, *trees: Node) -> None:
        self.trees = list(trees)
        self.backend = FakeBackend()

    def snapshot(self, app: str) -> Node:
        return self.trees.pop(0)


def browser_tree(document: str, page: tuple[Node, ...]) -> Node:
    return Node(BROWSER.ref, "application", "Chromium", children=(Node(document, "document", "Report", children=page),))


def opener(*trees: Node) -> BrowserOpener:
    desktop: Any = FakeDesktop(*trees)
    return BrowserOpener(desktop, None, lambda text: None)


OLD_DOC, NEW_DOC = ":1.5|/doc/1", ":1.5|/doc/2"
OLD_BUTTON = (Node("cdp:T1|old.3", "button", "Tools"),)
NEW_BUTTON = (Node("cdp:T1|new.3", "button", "Utilities"),)


def test_the_old_page_read_after_enter_is_no_new_document() -> None:
    old, new = browser_tree(OLD_DOC, OLD_BUTTON), browser_tree(NEW_DOC, NEW_BUTTON)
    shown = opener(browser_tree(OLD_DOC, ()), old, old, new)
    before = shown._documents("chromium", BROWSER)  # the page between two reads: its document node alone
    shown._wait_for_new_document("chromium", BROWSER, before)
    desktop: Any = shown.desktop
    assert desktop.trees == []  # it waited through the old page, read at last, for Chromium's new document


def test_a_page_read_over_cdp_is_told_by_its_nonce() -> None:
    shown = opener(
        browser_tree(OLD_DOC, OLD_BUTTON), browser_tree(OLD_DOC, OLD_BUTTON), browser_tree(OLD_DOC, NEW_BUTTON)
    )
    before = shown._documents("chromium", BROWSER)
    assert before.nonces == {"old"}
    assert not before.left_for(shown._documents("chromium", BROWSER))
    assert before.left_for(shown._documents("chromium", BROWSER))


def test_nothing_known_is_falsy() -> None:
    assert not ShownDocuments(frozenset(), frozenset())
