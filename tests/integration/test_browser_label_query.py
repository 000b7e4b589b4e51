"""get_by_label on a web page is resolved in the page (as Playwright resolves it), held page or not, and
finds exactly what deskhand's resolver finds over a whole read: the same elements, the same ambiguity, the
same misses. A label that could name a field by where it sits is left to the whole read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tests.fixtures.web.server import serve_pages
from tests.integration.chromium_desktop import chromium_on_desktop

from deskhand.backends.browser.page import WebPage
from deskhand.backends.composite import CompositeBackend
from deskhand.errors import AmbiguousMatch, NoMatch
from deskhand.locate import Desktop, Locator, waiting
from deskhand.tree.selector import Selector

pytestmark = pytest.mark.desktop


# (selector, answered in the page without a whole read)
LABELS = [
    (Selector(label="First name"), True),  # <label for>
    (Selector(label="first name", exact=True), True),  # exact: case matters, so nothing
    (Selector(label="name"), True),  # a substring of two labels: ambiguous
    (Selector(label="Notes"), True),  # a <label> wrapping its field
    (Selector(label="Search terms"), True),  # aria-label
    (Selector(label="Email address"), False),  # aria-labelledby a <span>: which may also name by its place
    (Selector(label="Phone"), True),  # two fields, one label text: ambiguous
    (Selector(label="Country"), True),  # a <select>
    (Selector(label="Biography"), True),  # a <textarea>
    (Selector(label="Send it"), True),  # a labelled button
    (Selector(label="Your city"), True),  # a placeholder names the field
    (Selector(label="Postal code"), True),  # a title names the field
    (Selector(role="checkbox", label="I agree"), True),
    (Selector(role="textbox", label="I agree"), True),  # the wrong role: nothing
    (Selector(label="Secret field"), True),  # display: none
    (Selector(label="Account Id"), True),  # underscore and colon in the label
    (Selector(label="Nowhere on the page"), True),
    (Selector(label="Street"), False),  # text inside the label could name a field by its place
    (Selector(label="Nickname"), False),  # a plain text beside its field
]


class WholeReadsOnly:
    """The backend without MatchingSnapshots: every locator resolves over whole reads."""

    def __init__(self, inner: CompositeBackend) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "snapshot_matching":
            raise AttributeError(name)
        return getattr(self._inner, name)


@pytest.fixture(scope="module")
def site() -> Iterator[Any]:
    with serve_pages() as running:
        yield running


@pytest.fixture
def page(site: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Desktop, Desktop, str, list[str]]]:
    """(a desktop resolving in the page, one resolving over whole reads, the app, the page calls made)."""
    monkeypatch.setattr(waiting, "REREAD_AFTER_S", 3600.0)  # the waits' safety re-read is not the subject
    calls: list[str] = []
    evaluate = WebPage._evaluate

    def counted(self: WebPage, expression: str, **options: Any) -> Any:
        calls.append("whole" if "snapshot(true)" in expression else expression.split("(")[0])
        return evaluate(self, expression, **options)

    monkeypatch.setattr(WebPage, "_evaluate", counted)
    with chromium_on_desktop(site.url("labels.html"), timeout=15.0) as (_, backend, desk, app):
        desk.app(app.name).get_by_role("heading", name="Labels every way").wait_for()
        whole = Desktop(WholeReadsOnly(backend), timeout=15.0)  # type: ignore[arg-type]
        yield desk, whole, app.name, calls


def _outcome(locator: Locator) -> tuple[str, list[str]]:
    try:
        return "found", [f"{r.ref} {r.node.role} {r.node.name!r} rank {r.match.rank}" for r in locator.resolve_all()]
    except NoMatch:
        return "none", []
    except AmbiguousMatch as ambiguous:
        return "ambiguous", ambiguous.candidates


def _strict(locator: Locator) -> tuple[str, list[str]]:
    try:
        return "one", [locator.resolve().ref]
    except AmbiguousMatch as ambiguous:
        return "ambiguous", ambiguous.candidates
    except NoMatch as missing:
        return "none", missing.candidates


@pytest.mark.parametrize("held", [False, True], ids=["page not read", "page held"])
def test_a_label_is_resolved_in_the_page_as_over_a_whole_read(
    page: tuple[Desktop, Desktop, str, list[str]], held: bool
) -> None:
    desk, whole, name, calls = page
    in_page = desk.app(name)
    if held:
        desk.snapshot(name)  # deskhand holds the page: a name query would be answered from memory
    for selector, answered_in_page in LABELS:
        if not held:
            desk.backend.invalidate()
        calls.clear()
        ours = _outcome(in_page.locator(selector)), _strict(in_page.locator(selector))
        asked = list(calls)
        theirs = _outcome(whole.app(name).locator(selector)), _strict(whole.app(name).locator(selector))
        assert ours == theirs, selector
        if answered_in_page and ours[0][1] and ours[1][0] == "one":
            assert "whole" not in asked, (selector, asked)  # (a miss reads whole for the nearest candidates)
        if not answered_in_page:
            assert ours[1][0] == "one", selector  # placed by geometry, over the read
    assert _strict(in_page.get_by_label("Phone"))[0] == "ambiguous"
    assert _strict(in_page.get_by_label("Nickname"))[0] == "one"


def test_a_fill_by_label_on_a_held_page_asks_the_page_once_and_fills_the_field(
    page: tuple[Desktop, Desktop, str, list[str]],
) -> None:
    desk, _, name, calls = page
    desk.snapshot(name)
    field = desk.app(name).get_by_label("First name")
    for text in ("Ada", "Bea Lovelace"):
        calls.clear()
        field.fill(text)
        assert calls.count("globalThis.__deskhand.query") == 1, calls
        assert "whole" not in calls
        # Outside evidence: the page's own script sees the value in the very field the label names.
        assert _page_value(desk, name, "first") == text


def _page_value(desk: Desktop, name: str, element_id: str) -> str:
    backend = desk.backend
    assert isinstance(backend, CompositeBackend)
    app = desk.find_app(name)
    assert app is not None
    page = next(iter(backend._pages.values()))
    reply = page.session.call(
        "Runtime.evaluate",
        {"expression": f"document.getElementById({json.dumps(element_id)}).value", "returnByValue": True},
    )
    return str(reply["result"]["value"])
