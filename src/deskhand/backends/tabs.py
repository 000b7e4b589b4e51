"""Which Chromium tab shows which web document node of the browser's AT-SPI tree.

The composite backend splices each tab's page (read over CDP) under the AT-SPI document node that shows
it. Chromium keeps a document's node for a while after the tab navigated away (hidden, or still named
like the new page), so a tab follows its current document: a tab whose node left the tree is free again,
a hidden node gives its tab up to a shown document with the tab's title, and a document judged tabless
is asked about again after a second. Nothing here reads pages; ``CompositeBackend`` does.
"""

from __future__ import annotations

import time

from deskhand.backends.browser.cdp import CdpBrowser
from deskhand.backends.browser.page import WebPage
from deskhand.tree.node import Node
from deskhand.tree.roles import State

# A document judged to have no tab is asked about again after this long (a tab's title can lag its page).
PAGELESS_RECHECK_S = 1.0


class Tabs:
    """The tabs' pages by target id and the document node each is bound to."""

    def __init__(self) -> None:
        self.pages: dict[str, WebPage] = {}  # by target id
        self.page_documents: dict[str, str] = {}  # target id → the AT-SPI ref of its document node
        self.document_targets: dict[str, str] = {}  # document ref → target id
        # Documents no tab showed (Chromium's hidden WebUI popups are SHOWING too), with the name they had
        # then and when: asked about again when their name changes (a navigation), after
        # PAGELESS_RECHECK_S, when a tab's document node went away, or on invalidate().
        self.pageless: dict[str, tuple[str, float]] = {}

    def pages_of(self, browser: CdpBrowser, documents: list[Node], app_name: str) -> list[tuple[Node, WebPage]]:
        """Each web document with the tab that shows it. A tab's document is the one titled like the tab;
        with one tab, the showing document. Chromium's own WebUI documents (hidden popups) get none."""
        self._free_tabs_of_gone_documents(documents)
        known = self._one_document_per_tab(
            [(doc, self.pages.get(self.document_targets.get(doc.ref, ""))) for doc in documents]
        )
        now = time.monotonic()
        if all(
            (page is not None and not page.session.closed) or self._still_pageless(doc, now)
            for doc, page in known
            if doc.has(State.SHOWING)
        ):
            return [(doc, page) for doc, page in known if page is not None and not page.session.closed]
        # Listing the tabs is an HTTP round trip (~1 ms): only when a shown document is new to us.
        targets = browser.pages()
        found: list[tuple[Node, WebPage]] = []
        unbound = [doc for doc, page in known if page is None or page.session.closed]
        held = {page.target_id for _, page in known if page is not None and not page.session.closed}
        # Titles a shown new document has and no free tab has: a held tab is the only one it can be.
        shown_titles = {doc.name for doc in unbound if doc.has(State.SHOWING)} - {
            t.title for t in targets if t.id not in held
        }
        # A tab already shown by one of these documents is not given to a second one (a transient document,
        # such as one Chromium shows while a page's alert() is up, would splice the page in twice)...
        for doc, page in known:
            if page is None or page.session.closed:
                continue
            title = next((t.title for t in targets if t.id == page.target_id), None)
            if not doc.has(State.SHOWING) and title in shown_titles:
                # ...unless its node is a hidden one the tab left (Chromium keeps the old document's node
                # after a navigation) and a shown new document has the tab's title: the tab goes to that.
                self.document_targets.pop(doc.ref, None)
                self.pageless[doc.ref] = (doc.name, now)
                continue
            found.append((doc, page))
            targets = [t for t in targets if t.id != page.target_id]
        # Shown documents first: they take the tabs whose titles they have before hidden ones could.
        for document in sorted(unbound, key=lambda doc: not doc.has(State.SHOWING)):
            titled = [t for t in targets if t.title == document.name]
            only = targets if len(targets) == 1 and document.has(State.SHOWING) else []
            for target in titled or only:
                page = self.pages.get(target.id)
                if page is None or page.session.closed:
                    page = WebPage(browser.session(target), app_name)
                    self.pages[target.id] = page
                self.document_targets[document.ref] = target.id
                self.page_documents[target.id] = document.ref
                found.append((document, page))
                self.pageless.pop(document.ref, None)
                targets.remove(target)
                break
            else:
                self.pageless[document.ref] = (document.name, now)
        return found

    def _still_pageless(self, document: Node, now: float) -> bool:
        """Known to have no tab, under the same name, recently enough (a tab's title can lag its page's)."""
        mark = self.pageless.get(document.ref)
        return mark is not None and mark[0] == document.name and now - mark[1] < PAGELESS_RECHECK_S

    def _free_tabs_of_gone_documents(self, documents: list[Node]) -> None:
        """A tab whose document node left this browser's tree (it navigated and Chromium dropped the old
        node) is free for its new document, which may have been judged tabless meanwhile."""
        if not documents:
            return
        app = documents[0].ref.partition("|")[0]
        present = {doc.ref for doc in documents}
        gone = [
            (target, ref)
            for target, ref in self.page_documents.items()
            if ref.partition("|")[0] == app and ref not in present
        ]
        for target, ref in gone:
            del self.page_documents[target]
            self.document_targets.pop(ref, None)
        if gone:
            self.pageless.clear()

    def _one_document_per_tab(self, known: list[tuple[Node, WebPage | None]]) -> list[tuple[Node, WebPage | None]]:
        """A tab bound to two documents (an unnamed one Chromium showed while a page's alert() was up, then
        the page's own) keeps the named one, else the one bound last; the other is pageless from now on."""
        docs_of: dict[str, list[Node]] = {}
        for doc, page in known:
            if page is not None:
                docs_of.setdefault(page.target_id, []).append(doc)
        dropped: set[str] = set()
        for target_id, docs in docs_of.items():
            if len(docs) < 2:
                continue
            latest = self.page_documents.get(target_id)
            keep = max(docs, key=lambda d: (d.has(State.SHOWING), bool(d.name.strip()), d.ref == latest))
            self.page_documents[target_id] = keep.ref
            for doc in docs:
                if doc is not keep:
                    dropped.add(doc.ref)
                    self.document_targets.pop(doc.ref, None)
                    self.pageless[doc.ref] = (doc.name, time.monotonic())
        return [(doc, None if doc.ref in dropped else page) for doc, page in known]
