"""A fill on a web page is read back as the page holds it once the page has answered it: a page that puts the
field back at its next turn (a controlled input: a microtask, a timer) must fail the fill, never pass it.

The page's own handlers run inside the fill; the read taken in the same call saw the typed text, a moment
before the page put its own value back (what its form then sends, checked in the POST body)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.fixtures.web.server import Site, serve_pages
from tests.integration.chromium_desktop import chromium_on_desktop

from deskhand.backends.browser.page_refs import REF_PREFIX
from deskhand.errors import ActionFailed
from deskhand.locate import Locator

pytestmark = pytest.mark.desktop


@pytest.fixture  # each test its own page: Send leaves the form for the page the POST answers with
def page() -> Iterator[tuple[Locator, Site]]:
    with (
        serve_pages() as site,
        chromium_on_desktop(site.url("controlled.html"), timeout=15.0) as (*_, desk, app),
    ):
        browser = desk.app(app.name)
        send = browser.get_by_role("button", name="Send")
        send.wait_for()
        assert send.resolve().ref.startswith(REF_PREFIX)  # read over CDP (its refs): the path under test
        yield browser, site


@pytest.mark.parametrize("label", ["Soon", "Later"])
def test_a_field_the_page_puts_back_fails_the_fill_saying_what_it_holds(label: str, page: tuple[Locator, Site]) -> None:
    browser, _ = page
    field = browser.get_by_label(label).with_timeout(2.0)
    with pytest.raises(ActionFailed, match="holds ''"):
        field.fill("hello")
    assert field.resolve().node.value == ""


def test_the_page_sends_what_the_fill_read_back(page: tuple[Locator, Site]) -> None:
    browser, site = page
    browser.get_by_label("Kept").fill("kept text")
    browser.get_by_role("button", name="Send").click()
    assert site.wait_for_post(timeout=10) == {"soon": [""], "later": [""], "kept": ["kept text"]}
