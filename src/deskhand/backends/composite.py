"""AT-SPI for every app, with each Chromium's web pages read over CDP and spliced in where they belong.

Measured (docs/perception-decisions.md): Chromium's bulk AT-SPI cache never holds the page, so AT-SPI reads
a 4,800-node page with ~23k calls (1.3 s); the CDP page reader takes ~30 ms and survives navigation. So
the AT-SPI walk stops at each web document of a Chromium that deskhand can reach over CDP, and the page's
nodes (refs ``cdp:…``) hang under that document node. Actions route by ref: ``cdp:`` refs go to the page,
the rest to AT-SPI. Keyboard, windows, screenshots and change notification stay with AT-SPI (Chromium
still sends AT-SPI events for page changes). This is the only module that imports both backends.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace

import psutil

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.base import AppInfo, MouseButton, ScrollDirection
from deskhand.backends.browser.cdp import CdpBrowser, CdpError, endpoint_from_cmdline
from deskhand.backends.browser.file_inputs import chooser_waiting, give_files
from deskhand.backends.browser.flags import reads_pages
from deskhand.backends.browser.page import PageUnsupported, WebPage
from deskhand.backends.browser.page_refs import PageRef, is_page_ref, parse_ref
from deskhand.backends.forms import FormSubmission, How
from deskhand.backends.page_focus import browser_controls_have_focus, without_focus
from deskhand.backends.page_splice import (
    Documents,
    mark_page_dialogs,
    same_pages,
    splice,
    viewport_origin,
    web_documents,
)
from deskhand.backends.tabs import Tabs
from deskhand.errors import ActionFailed, BackendError, NodeGone, UnexpectedDialog
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import State

# Chromium's input protection on a new dialog: the platform's double-click interval (GTK's default 400 ms)
# plus a margin.
PAGE_DIALOG_GUARD_S = 0.6


class CompositeBackend:
    """The Backend protocol over AT-SPI plus CDP for web content."""

    name = "composite"

    def __init__(
        self,
        a11y_address: str,
        *,
        display: str | None = None,
        input_note: str = "",
        wayland_env: Mapping[str, str] | None = None,
    ) -> None:
        self._browsers: dict[int, CdpBrowser] = {}  # by Chromium's pid
        self._unsupported: set[int] = set()
        self._tabs = Tabs()
        self._pages = self._tabs.pages  # by target id
        # Per app: the last spliced tree and what it was made of, reused while neither part changed (the
        # readers return the very same objects then), so an unchanged app is not copied again.
        self._spliced: dict[str, tuple[Node, dict[str, tuple[Node, ...]], Node, Documents]] = {}
        self.atspi = AtspiBackend(
            a11y_address, display=display, web_elsewhere=self._reads_web, input_note=input_note, wayland_env=wayland_env
        )

    # ---- which Chromium pages CDP serves --------------------------------------------------------
    def _reads_web(self, pid: int) -> bool:
        """Called by AT-SPI when it meets a Chromium: may its web documents be left to us?"""
        if pid in self._browsers:
            return True
        if pid <= 0 or pid in self._unsupported:
            return False
        try:
            cmdline = psutil.Process(pid).cmdline()
        except (psutil.Error, OSError):
            return False
        endpoint = endpoint_from_cmdline(cmdline)
        if endpoint is None or not reads_pages(cmdline):
            return False
        self._browsers[pid] = CdpBrowser(endpoint)
        return True

    def _give_up_on(self, pid: int, app_ref: str) -> None:
        """This Chromium cannot serve pages after all: AT-SPI reads them again from now on."""
        self._unsupported.add(pid)
        browser = self._browsers.pop(pid, None)
        if browser is not None:
            browser.close()
        self._spliced.pop(app_ref, None)
        self.atspi.forget_app(app_ref)

    # ---- perception --------------------------------------------------------------------------------
    def applications(self) -> list[AppInfo]:
        return self.atspi.applications()

    def snapshot(self, app_ref: str) -> Node:
        return self._snapshot(app_ref, None)

    def snapshot_matching(self, app_ref: str, needle: str, *, by_label: bool = False) -> Node:
        """The app's tree for a locator that wants an element named or showing ``needle``: a web page that
        would be read whole (first sight, a new document) is cut down to what could match (WebPage.query),
        so finding a button on a new page costs a query, not a read. The same elements match as in
        :meth:`snapshot`; a page deskhand holds already is served as by :meth:`snapshot`, but for a label
        (``by_label``), which the page resolves whether held or not."""
        return self._snapshot(app_ref, needle, by_label=by_label)

    def _snapshot(self, app_ref: str, needle: str | None, *, by_label: bool = False) -> Node:
        root = self.atspi.snapshot(app_ref)
        last = self._spliced.get(app_ref)
        # The AT-SPI tree comes back as the very same object while nothing in it changed.
        documents, on_path = last[3] if last is not None and last[0] is root else web_documents(root)
        if not documents:
            return root
        pid = self.atspi.pid_of(app_ref)
        browser = self._browsers.get(pid)
        if browser is None:
            return root
        filled: dict[str, tuple[Node, ...]] = {}
        cut = False
        try:
            for document, page in self._tabs.pages_of(browser, documents, root.name):
                origin = viewport_origin(document)
                try:
                    queried = page.query(origin, needle, by_label=by_label) if needle is not None else None
                    cut = cut or queried is not None
                    filled[document.ref] = queried if queried is not None else page.read(origin)
                except (CdpError, NodeGone, UnexpectedDialog):
                    # The tab is between two documents (loading, navigating), or a JavaScript dialog holds
                    # it (the browser's own UI shows that dialog): empty until it settles.
                    filled[document.ref] = ()
        except PageUnsupported:
            self._give_up_on(pid, app_ref)
            return self.atspi.snapshot(app_ref)
        # Keys go to the address bar (say), not to the field the page still calls its active element.
        shown = filled
        if browser_controls_have_focus(root):
            shown = {ref: tuple(without_focus(node) for node in nodes) for ref, nodes in filled.items()}
        if cut:
            return splice(root, shown, on_path)  # a partial view: never kept as the app's tree
        if last is not None and last[0] is root and same_pages(last[1], filled):
            return last[2]
        spliced = splice(root, shown, on_path)
        messages = browser.open_dialog_messages()
        if messages:
            spliced = mark_page_dialogs(spliced, messages)
        self._spliced[app_ref] = (root, filled, spliced, (documents, on_path))
        return spliced

    def refresh(self, ref: str) -> Node:
        if is_page_ref(ref):
            page, where = self._page(ref)
            node = page.refresh(where)
            if State.FOCUSED in node.states and self._browser_holds_keys(where.target_id):
                node = replace(node, states=node.states - {State.FOCUSED})
            return node
        return self.atspi.refresh(ref)

    def _browser_holds_keys(self, target_id: str) -> bool:
        """Whether the browser's own controls hold the keyboard in the window of page ``target_id``."""
        document = self._tabs.page_documents.get(target_id)
        app_ref = self.atspi.kept_app(document) if document is not None else None
        if app_ref is None:
            return False
        return browser_controls_have_focus(self.atspi.snapshot(app_ref))

    def kept_app(self, ref: str) -> str | None:
        """AT-SPI elements are kept by events (base.EventKept), and so is a page that announces its changes
        (WebPage.announces): the browser's snapshot reads what changed. Any other page element is read again."""
        if not is_page_ref(ref):
            return self.atspi.kept_app(ref)
        target = parse_ref(ref).target_id
        page, document = self._pages.get(target), self._tabs.page_documents.get(target)
        if page is None or document is None or page.session.closed or not page.announces:
            return None
        return self.atspi.kept_app(document)

    def kept_version(self, ref: str) -> Hashable | None:
        """base.KeptVersions: an AT-SPI element's (a page element's judgement is made afresh each time)."""
        return None if is_page_ref(ref) else self.atspi.kept_version(ref)

    def waiting_file_input(self) -> str | None:
        """base.PageFileInputs: the page whose file chooser waits (its body's ref), if one does."""
        for page in list(self._pages.values()):
            if not page.session.closed and chooser_waiting(page.session):
                return page.body_ref()
        return None

    def choose_files(self, ref: str, paths: list[str]) -> tuple[str, ...]:
        page, _ = self._page(ref)
        self._pages_may_change()
        return give_files(page.session, paths)

    def _page(self, ref: str) -> tuple[WebPage, PageRef]:
        where = parse_ref(ref)
        page = self._pages.get(where.target_id)
        if page is None or page.session.closed:
            raise NodeGone("The browser tab of that element is closed.", hint="Take a fresh snapshot.")
        return page, where

    def invalidate(self, app_ref: str | None = None) -> None:
        """Forget cached trees; pages are read whole again at the next snapshot."""
        self.atspi.invalidate(app_ref)
        self._tabs.pageless.clear()
        for page in self._pages.values():
            page.invalidate()

    def invalidate_pages(self) -> None:
        """The next snapshot reads every web page whole, as on first sight; the browser's own UI is kept."""
        for page in self._pages.values():
            page.invalidate()

    def loading(self) -> bool:
        """True while a page the backend reads is still loading its document."""
        return any(page.loading() for page in list(self._pages.values()))

    def version(self) -> int:
        return self.atspi.version()

    def wait_for_change(self, timeout: float) -> bool:
        return self.atspi.wait_for_change(timeout)

    # ---- tables whose cells are made on demand (backends.tables): native apps only --------------------
    def table_size(self, ref: str) -> tuple[int, int]:
        return self.atspi.table_size(_native(ref))

    def table_texts(self, ref: str, rows: range, columns: range) -> list[list[str]]:
        return self.atspi.table_texts(_native(ref), rows, columns)

    def kept_cells(self, ref: str, rows: range, columns: range) -> list[tuple[int, int]]:
        return self.atspi.kept_cells(_native(ref), rows, columns)

    def focus_cell(self, ref: str, row: int, column: int) -> None:
        self._pages_may_change()
        self.atspi.focus_cell(_native(ref), row, column)

    def cell_as_shown(
        self, ref: str, cell: tuple[int, int], shown_may_differ: Callable[[str], bool], timeout: float
    ) -> tuple[str, str | None]:
        return self.atspi.cell_as_shown(_native(ref), cell, shown_may_differ, timeout)

    def select_tab(self, ref: str) -> None:
        self._pages_may_change()
        self.atspi.select_tab(_native(ref))

    # ---- the text offered for a native app's selection (backends.selection) ----------------------------
    def claim_selection(self) -> None:
        self.atspi.claim_selection()

    def selection_text(self, ref: str, timeout: float) -> str | None:
        return self.atspi.selection_text(_native(ref), timeout)

    # ---- forms on web pages (backends.forms) ---------------------------------------------------------
    def form_submission(self, ref: str, how: How) -> FormSubmission | None:
        if not is_page_ref(ref):
            return None
        page, where = self._page(ref)
        return page.form_submission(where, how)

    # ---- actions -------------------------------------------------------------------------------------
    def _pages_may_change(self) -> None:
        """Input whose effect on the pages is unknown (a click may navigate, a key may submit): the next
        read asks each page again rather than trust that it announced every change already. fill,
        select and check on a page report their own changes, so they skip this."""
        for page in self._pages.values():
            page.may_change()

    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None:
        self._pages_may_change()
        if is_page_ref(ref):
            page, where = self._page(ref)
            page.click(where, button=button, count=count)
        else:
            self._let_page_dialog_take_input(ref)
            self.atspi.click(ref, button=button, count=count)

    def _let_page_dialog_take_input(self, ref: str) -> None:
        """Chromium ignores presses on a JavaScript dialog for a moment after it shows (its protection
        against a double click landing on it; measured: a press at once is lost, one after 1 s lands), so
        a click while one is open waits out that moment, counted from when CDP said it opened."""
        browser = self._browsers.get(self.atspi.pid_of(ref))
        since = browser.dialog_since() if browser is not None else None
        if since is not None:
            time.sleep(max(0.0, since + PAGE_DIALOG_GUARD_S - time.monotonic()))

    def focus(self, ref: str) -> None:
        self._pages_may_change()
        if is_page_ref(ref):
            page, where = self._page(ref)
            page.focus(where)
        else:
            self.atspi.focus(ref)

    def set_text(self, ref: str, text: str) -> None:
        if is_page_ref(ref):  # a page reports the changes its own fill, select and check make
            page, where = self._page(ref)
            page.set_text(where, text)
        else:
            self._pages_may_change()
            self.atspi.set_text(ref, text)

    def set_text_and_read(self, ref: str, text: str) -> Node:
        if is_page_ref(ref):
            self.set_text(ref, text)
            return self.refresh(ref)  # the page's answer to the fill (WebPage keeps it): no second trip
        self._pages_may_change()
        return self.atspi.set_text_and_read(ref, text)

    def text_now(self, ref: str) -> str | None:
        return None if is_page_ref(ref) else self.atspi.text_now(ref)

    def contains_point(self, ref: str, x: int, y: int) -> bool:
        """base.PointCheck, for AT-SPI elements (a page's elements are placed by the page itself)."""
        if is_page_ref(ref):
            raise BackendError("Whether a web element holds a point is not asked of the page.")
        return self.atspi.contains_point(ref, x, y)

    def type_text(self, text: str) -> None:
        self._pages_may_change()
        self.atspi.type_text(text)

    def press(self, keys: str) -> None:
        self._pages_may_change()
        self.atspi.press(keys)

    def select_option(self, ref: str, option: str) -> None:
        if is_page_ref(ref):  # a page reports the changes its own fill, select and check make
            page, where = self._page(ref)
            page.select_option(where, option)
        else:
            self._pages_may_change()
            self.atspi.select_option(ref, option)

    def set_checked(self, ref: str, on: bool) -> None:
        if is_page_ref(ref):  # a page reports the changes its own fill, select and check make
            page, where = self._page(ref)
            page.set_checked(where, on)
        else:
            self._pages_may_change()
            self.atspi.set_checked(ref, on)

    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None:
        self._pages_may_change()
        if not is_page_ref(ref):
            self.atspi.scroll(ref, direction, amount)
            return
        node = self.refresh(ref)
        if node.bounds is None:
            raise BackendError(f"Cannot scroll {node.role} {node.name!r}: it has no position on screen.")
        x, y = node.bounds.center
        self.atspi.xinput.scroll(x, y, direction, amount)

    def scroll_into_view(self, ref: str) -> None:
        self._pages_may_change()
        if is_page_ref(ref):
            page, where = self._page(ref)
            page.scroll_into_view(where)
        else:
            self.atspi.scroll_into_view(ref)

    def activate_window(self, ref: str) -> None:
        self._pages_may_change()
        if is_page_ref(ref):
            document = self._tabs.page_documents.get(parse_ref(ref).target_id)
            if document is None:
                raise NodeGone("The browser tab of that element is closed.", hint="Take a fresh snapshot.")
            ref = document
        self.atspi.activate_window(ref)

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        return self.atspi.screenshot(bounds)

    def close(self) -> None:
        for browser in self._browsers.values():
            with contextlib.suppress(Exception):
                browser.close()
        self._browsers.clear()
        self._pages.clear()
        self._spliced.clear()
        self.atspi.close()


def _native(ref: str) -> str:
    """Web tables have all their cells in the page's tree; only native lazy tables come here."""
    if is_page_ref(ref):
        raise ActionFailed("A web page's table is read from its cells, not through the table seam.")
    return ref
