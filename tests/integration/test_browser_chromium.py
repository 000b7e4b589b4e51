"""The composite backend on Chromium: the page over CDP, the browser's own UI over AT-SPI.

Same loopback page and POST check as test_atspi_chromium.py, plus what CDP must add: page refs, bounds on
screen where AT-SPI puts the same elements, and a page that is read again after navigating away and back.
"""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest
from tests.fixtures.web.server import serve_pages
from tests.integration.chromium_desktop import chromium_on_desktop

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.browser.cdp import CdpBrowser, endpoint_from_cmdline
from deskhand.backends.browser.page_mirror import PageMirror
from deskhand.errors import NodeGone
from deskhand.locate import Desktop, Locator, expect, waiting
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def site() -> Iterator[object]:
    with serve_pages() as running:
        yield running


@pytest.fixture
def session(site: object) -> Iterator[tuple[Desktop, Locator, VirtualDesktop]]:
    url = site.url("form.html")  # type: ignore[attr-defined]
    with chromium_on_desktop(url, timeout=15.0) as (virtual, _, desk, app):
        browser = desk.app(app.name)
        browser.get_by_role("button", name="Submit").wait_for()
        yield desk, browser, virtual


def test_page_comes_over_cdp_and_the_ui_over_atspi(session: tuple[Desktop, Locator, VirtualDesktop]) -> None:
    _, page, _ = session
    assert page.get_by_role("row").count() == 501
    expect(page.get_by_role("cell", name="Item 500", exact=True)).to_have_text("Item 500")
    assert page.get_by_role("radio", name="Basic").is_checked()
    assert page.get_by_role("textbox", name="First name").resolve().ref.startswith("cdp:")
    address_bar = page.get_by_role("textbox", name="Address and search bar").first.resolve()
    assert not address_bar.ref.startswith("cdp:")


def test_page_bounds_are_on_screen_where_atspi_sees_them(session: tuple[Desktop, Locator, VirtualDesktop]) -> None:
    _, page, virtual = session
    via_cdp = page.get_by_role("button", name="Submit").resolve().node.bounds
    atspi = AtspiBackend(virtual.a11y_address, display=virtual.display)
    try:
        via_atspi = Desktop(atspi).app("Chromium").get_by_role("button", name="Submit").resolve().node.bounds
    finally:
        atspi.close()
    assert via_cdp is not None and via_atspi is not None
    assert abs(via_cdp.x - via_atspi.x) <= 2 and abs(via_cdp.y - via_atspi.y) <= 2
    assert abs(via_cdp.width - via_atspi.width) <= 1 and abs(via_cdp.height - via_atspi.height) <= 1


def test_fill_select_check_submit(session: tuple[Desktop, Locator, VirtualDesktop], site: object) -> None:
    _, page, _ = session
    page.get_by_label("First name").fill("Ada")
    page.get_by_role("textbox", name="Last name").fill("Lovelace")
    page.get_by_role("textbox", name="Email").fill("ada@example.org")
    page.get_by_role("spinbutton", name="Age").fill("36")
    page.get_by_role("textbox", name="Password").fill("s3cret!")
    page.get_by_role("combobox", name="Country").select_option("Japan")
    page.get_by_role("checkbox", name="Newsletter").check()
    page.get_by_role("checkbox", name="Newsletter").uncheck()
    page.get_by_role("checkbox", name="Accept terms").check()
    page.get_by_role("radio", name="By phone").check()
    page.get_by_role("textbox", name="Notes").fill("Two\nlines")
    page.get_by_role("textbox", name="Notes").fill("")
    page.get_by_role("button", name="Submit").click()
    posted = site.wait_for_post(timeout=10)  # type: ignore[attr-defined]
    assert posted["first_name"] == ["Ada"] and posted["last_name"] == ["Lovelace"]
    assert posted["email"] == ["ada@example.org"] and posted["age"] == ["36"]
    assert posted["password"] == ["s3cret!"] and posted["country"] == ["Japan"]
    assert "newsletter" not in posted  # checked, then unchecked
    assert posted["terms"] == ["yes"] and posted["contact"] == ["phone"] and posted["notes"] == [""]
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_survives_navigation_away_and_back(session: tuple[Desktop, Locator, VirtualDesktop], site: object) -> None:
    desk, page, _ = session
    page.get_by_role("textbox", name="Address and search bar").first.fill(site.url("form.html"))  # type: ignore[attr-defined]
    desk.press("Enter")
    old = page.get_by_role("button", name="Submit").resolve().ref
    page.get_by_role("link", name="Other page").click()
    expect(page.get_by_role("heading", name="Another page")).to_be_visible()
    with pytest.raises(NodeGone):
        desk.backend.refresh(old)  # an element of the page the tab left names nothing now
    page.get_by_role("textbox", name="Address and search bar").first.fill(site.url("form.html"))  # type: ignore[attr-defined]
    desk.press("Enter")
    page.get_by_role("button", name="Submit").wait_for()
    assert page.get_by_role("row").count() == 501


def test_bad_page_refs_are_node_gone(session: tuple[Desktop, Locator, VirtualDesktop]) -> None:
    desk, _, _ = session
    for ref in ("cdp:nope", "cdp:NOTATAB|abc.1"):
        with pytest.raises(NodeGone):
            desk.backend.refresh(ref)


def _facts(node: Node) -> list[tuple[object, ...]]:
    """What a snapshot says of each web element, bounds left out (a change moves what comes after it)."""
    return [
        (n.ref, n.role, n.name, n.value, tuple(sorted(n.states)), len(n.children))
        for n in node.walk()
        if n.ref.startswith("cdp:")
    ]


def test_a_changed_page_is_patched_to_what_a_full_read_sees(
    session: tuple[Desktop, Locator, VirtualDesktop], monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, page, _ = session
    backend = desk.backend
    app = desk.find_app("Chromium")
    assert app is not None
    backend.snapshot(app.ref)  # the one whole read (the fixture's wait may have only queried the page)
    whole_reads: list[int] = []
    load = PageMirror.load
    monkeypatch.setattr(
        PageMirror,
        "load",
        lambda self, nonce, origin, rows: (whole_reads.append(len(rows)), load(self, nonce, origin, rows))[1],
    )
    # Waits re-read everything after a second as a safety net; this test is about the patch path alone.
    monkeypatch.setattr(waiting, "REREAD_AFTER_S", 3600.0)
    endpoint = endpoint_from_cmdline(psutil.Process(app.pid).cmdline())
    assert endpoint is not None
    browser = CdpBrowser(endpoint)
    try:
        tab = browser.session(browser.pages()[0])
        script = """
          document.querySelector('#orders tbody').rows[2].remove();
          document.querySelector('#orders tbody').rows[0].cells[1].textContent = 'Changed item';
          const extra = document.createElement('button'); extra.textContent = 'Added later';
          document.querySelector('form').prepend(extra);
          document.querySelector('fieldset').hidden = true;
          const team = document.querySelectorAll('fieldset')[1].querySelectorAll('label')[1];
          team.lastChild.data = ' By fax';
        """
        tab.call("Runtime.evaluate", {"expression": script})
    finally:
        browser.close()
    page.get_by_label("First name").fill("Grace")
    expect(page.get_by_role("button", name="Added later")).to_be_visible()
    expect(page.get_by_role("radio", name="By fax")).to_be_visible()
    patched = backend.snapshot(app.ref)
    assert whole_reads == []  # the changes came as patches
    backend.invalidate()
    whole = backend.snapshot(app.ref)
    assert _facts(patched) == _facts(whole)
    assert page.get_by_role("row").count() == 500
    assert page.get_by_role("cell", name="Changed item").count() == 1
    assert page.get_by_role("radio", name="Basic").count() == 0  # its fieldset is hidden
