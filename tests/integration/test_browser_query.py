"""Locators by name or text on a page deskhand has not read: the page is queried, not read whole, and the
answer is the one a whole read gives (same elements, same ambiguity, hidden ones left out)."""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest
from tests.fixtures.web.server import serve_pages
from tests.integration.chromium_desktop import chromium_on_desktop

from deskhand.backends.browser.cdp import CdpBrowser, endpoint_from_cmdline
from deskhand.backends.browser.page_mirror import PageMirror
from deskhand.backends.composite import CompositeBackend
from deskhand.errors import AmbiguousMatch, NoMatch
from deskhand.locate import Desktop, Locator, waiting
from deskhand.tree.match import find_all
from deskhand.tree.selector import Selector

pytestmark = pytest.mark.desktop


SELECTORS = [
    Selector(role="button", name="Archive the report"),  # aria-labelledby, pointing elsewhere
    Selector(role="button", name="Close panel"),  # aria-label
    Selector(role="button", name="Print page"),  # title only
    Selector(role="link", name="Go to top"),  # an image's alt
    Selector(role="button", name="Send message"),  # an input's value
    Selector(role="button", name="Save draft"),  # a <br> between the words
    Selector(role="cell", name="lower case cell"),  # text-transform
    Selector(role="cell", name="Starred cell"),  # generated content in front
    Selector(role="cell", name="spaced out"),
    Selector(text="Remember the milk"),  # a field's value
    Selector(role="button", name="Ghost button"),  # visibility: hidden
    Selector(role="button", name="Inside details"),  # a closed <details>
    Selector(role="button", name="Hidden twin"),  # display: none
]


@pytest.fixture(scope="module")
def site() -> Iterator[object]:
    with serve_pages() as running:
        yield running


@pytest.fixture
def page(
    site: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Desktop, Locator, CompositeBackend, list[int]]]:
    monkeypatch.setattr(waiting, "REREAD_AFTER_S", 3600.0)  # the waits' safety re-read is not the subject
    whole_reads: list[int] = []
    load = PageMirror.load
    monkeypatch.setattr(
        PageMirror,
        "load",
        lambda self, nonce, origin, rows: (whole_reads.append(len(rows)), load(self, nonce, origin, rows))[1],
    )
    url = site.url("names.html")  # type: ignore[attr-defined]
    with chromium_on_desktop(url, timeout=15.0) as (_, backend, desk, app):
        browser = desk.app(app.name)
        browser.get_by_role("heading", name="Names from everywhere").wait_for()
        # A wait that missed while the page loaded read it whole for the nearest candidates.
        whole_reads.clear()
        yield desk, browser, backend, whole_reads


def test_a_name_is_found_without_reading_the_page(page: tuple[Desktop, Locator, CompositeBackend, list[int]]) -> None:
    _, browser, _, whole_reads = page
    found = browser.get_by_role("button", name="Send message").resolve()
    assert found.node.role == "button"
    browser.get_by_role("button", name="Send message").click()  # the ref from a query acts like any other
    assert whole_reads == []


def test_the_query_finds_what_a_whole_read_finds(page: tuple[Desktop, Locator, CompositeBackend, list[int]]) -> None:
    desk, browser, backend, whole_reads = page
    queried = {str(s): _described(browser.locator(s)) for s in SELECTORS}
    assert whole_reads == []
    app = desk.find_app("Chromium")
    assert app is not None
    backend.invalidate()
    root = backend.snapshot(app.ref)
    assert whole_reads  # this one did read the page whole
    for selector in SELECTORS:
        whole = sorted(f"{m.node.role} {m.node.name!r} {sorted(m.node.states)}" for m in find_all(root, selector))
        assert queried[str(selector)] == whole, selector


def test_ambiguity_is_still_reported(page: tuple[Desktop, Locator, CompositeBackend, list[int]]) -> None:
    _, browser, _, whole_reads = page
    with pytest.raises(AmbiguousMatch) as raised:
        browser.get_by_role("button", name="Duplicate").resolve()
    assert len(raised.value.candidates) == 2
    with pytest.raises(NoMatch):
        browser.get_by_role("button", name="Hidden twin").resolve()
    assert whole_reads == [] or len(whole_reads) == 1  # a NoMatch reads the page for the nearest candidates


def _described(locator: Locator) -> list[str]:
    try:
        found = locator.resolve_all()
    except NoMatch:
        return []
    return sorted(f"{r.node.role} {r.node.name!r} {sorted(r.node.states)}" for r in found)


def test_cells_named_by_their_text_are_named_as_blink_names_them(
    page: tuple[Desktop, Locator, CompositeBackend, list[int]],
) -> None:
    """A whole read names plain cells by their text when the page adds no generated content; an element's
    own read (refresh) always asks Blink. Both must agree on every cell, text-transform included."""
    desk, _, backend, _ = page
    app = desk.find_app("Chromium")
    assert app is not None
    _assert_cells_named_as_blink_names_them(backend, app.ref)  # with generated content on the page
    endpoint = endpoint_from_cmdline(psutil.Process(app.pid).cmdline())
    assert endpoint is not None
    browser = CdpBrowser(endpoint)
    try:
        tab = browser.session(browser.pages()[0])
        tab.call("Runtime.evaluate", {"expression": "document.styleSheets[0].deleteRule(2)"})  # the ::before
    finally:
        browser.close()
    _assert_cells_named_as_blink_names_them(backend, app.ref)  # and without


def _assert_cells_named_as_blink_names_them(backend: CompositeBackend, app_ref: str) -> None:
    backend.invalidate()
    cells = [n for n in backend.snapshot(app_ref).walk() if n.role in ("cell", "columnheader")]
    assert len(cells) == 6
    assert {cell.name: backend.refresh(cell.ref).name for cell in cells} == {cell.name: cell.name for cell in cells}
