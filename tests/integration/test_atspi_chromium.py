"""Chromium on a loopback page: a 20-field form above a 500-row table; fill, select, check, submit.

The server is a stdlib http.server in a thread (tests/fixtures/web/server.py); the test asserts the POST
body it received. Chromium inputs have no EditableText: the backend focuses them and types with XTest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.fixtures.web.server import serve_pages

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate import Desktop, Locator, expect
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def site() -> Iterator[object]:
    with serve_pages() as running:
        yield running


@pytest.fixture
def page(site: object) -> Iterator[Locator]:
    # A fresh browser per test: a submitted form must not leave its page behind.
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=15.0) as desk:
            app = virtual.launch_chromium(site.url("form.html"))  # type: ignore[attr-defined]
            browser = desk.app(app.name)
            # The page arrives after the window: wait for its last form control (a first Chromium start on a
            # loaded 2-core machine takes longer than a step's wait; the wait ends on the event, not the cap).
            browser.get_by_role("button", name="Submit").wait_for(timeout=60)
            yield browser


def test_page_is_read_whole(page: Locator) -> None:
    assert page.get_by_role("row").count() == 501  # the header row and 500 rows
    expect(page.get_by_role("cell", name="Item 500", exact=True)).to_have_text("Item 500")
    assert page.get_by_role("radio", name="Basic").is_checked()


def test_fill_select_check_submit(page: Locator, site: object) -> None:
    # Labels by <label for>: Chromium names the fields after them; get_by_label finds them by relation.
    page.get_by_label("First name").fill("Ada")
    page.get_by_role("textbox", name="Last name").fill("Lovelace")
    page.get_by_role("textbox", name="Email").fill("ada@example.org")
    page.get_by_role("textbox", name="Phone").fill("+44 20 7946 0958")
    page.get_by_role("spinbutton", name="Age").fill("36")
    # A date field is made of parts (Month, Day, Year): filled part by part, each read back.
    page.get_by_label("Birthday").fill("12/10/1815")
    page.get_by_role("textbox", name="Website").fill("https://example.org/ada")
    page.get_by_role("textbox", name="Company").fill("Analytical Engines Ltd")
    page.get_by_role("textbox", name="City").fill("London")
    page.get_by_role("textbox", name="Password").fill("s3cret!")
    page.get_by_role("combobox", name="Country").select_option("Japan")
    page.get_by_role("combobox", name="Team size").select_option("11-50")
    page.get_by_role("checkbox", name="Newsletter").check()
    page.get_by_role("checkbox", name="Accept terms").check()
    page.get_by_role("radio", name="Pro").check()
    page.get_by_role("radio", name="By phone").check()
    page.get_by_role("textbox", name="Notes").fill("First programmer; likes engines.")
    page.get_by_role("button", name="Submit").click()

    posted = site.wait_for_post(timeout=10)  # type: ignore[attr-defined]
    assert posted == {
        "first_name": ["Ada"],
        "last_name": ["Lovelace"],
        "email": ["ada@example.org"],
        "phone": ["+44 20 7946 0958"],
        "age": ["36"],
        "birthday": ["1815-12-10"],
        "website": ["https://example.org/ada"],
        "company": ["Analytical Engines Ltd"],
        "street": [""],
        "city": ["London"],
        "zip": [""],
        "password": ["s3cret!"],
        "country": ["Japan"],
        "size": ["11-50"],
        "newsletter": ["yes"],
        "terms": ["yes"],
        "plan": ["pro"],
        "contact": ["phone"],
        "notes": ["First programmer; likes engines."],
        "referral": [""],
    }
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_an_iso_date_goes_to_the_parts_by_name(page: Locator, site: object) -> None:
    # The field shows Month / Day / Year (en-US); the ISO text names the year first.
    page.get_by_label("Birthday").fill("1815-12-10")
    page.get_by_role("button", name="Submit").click()
    posted = site.wait_for_post(timeout=10)  # type: ignore[attr-defined]
    assert posted["birthday"] == ["1815-12-10"]
