"""Keys and a pointer under sway (Wayland): deskhand's own virtual keyboard and pointer (wlroots protocols)
type, press and click into native Wayland clients, reached the way a user's shell reaches them
(``connect_current`` on the session's environment). Judged by what the apps print or post."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from tests.integration.app_output import wait_for_output
from tests.integration.loopback_site import POSTING_FORM, loopback_site

from deskhand.app.compose import connect_current
from deskhand.locate.desktop import Desktop
from deskhand.locate.expect import expect
from deskhand.sandbox.doctor import run_checks
from deskhand.sandbox.wayland import WaylandDesktop

pytestmark = pytest.mark.desktop


@pytest.fixture
def sway() -> Iterator[tuple[WaylandDesktop, Desktop]]:
    with WaylandDesktop(compositor="sway") as session, connect_current(session.env, timeout=10.0) as desktop:
        yield session, desktop


def test_keys_and_clicks_reach_a_gtk3_form_under_sway(sway: tuple[WaylandDesktop, Desktop]) -> None:
    session, desktop = sway
    checks = {check.name: check for check in run_checks(session.env)}
    assert checks["input"].ok, checks["input"]
    fields = ["--add-entry=Name", "--add-entry=Email", "--add-list=Colour", "--list-values=Red|Green|Blue"]
    app = session.launch(["zenity", "--forms", "--title=Add", *fields])
    form = desktop.app(app.name)
    form.get_by_label("Name").focus()
    desktop.type("Ada Lövelace €")  # typed key by key: characters beyond any layout too
    desktop.press("BackSpace")
    desktop.press("BackSpace")
    desktop.press("Tab")  # the keyboard moves the focus to the next field
    desktop.type("ada@example.org")
    expect(form.get_by_label("Email")).to_have_value("ada@example.org")  # waits for the app's events
    # GTK list cells and buttons are clicked with the pointer (no AT-SPI action fallback on this path).
    form.get_by_role("cell", name="Green").click()
    form.get_by_role("button", name="OK").click()
    assert "Ada Lövelace|ada@example.org|Green" in wait_for_output(app.log_path, "ada@example.org")


def test_typing_into_a_chromium_page_under_sway(sway: tuple[WaylandDesktop, Desktop]) -> None:
    """Chromium's fields take no text over AT-SPI: without keys they could not be filled on Wayland."""
    session, desktop = sway
    with loopback_site(POSTING_FORM) as site:
        posts = site.posts
        app = session.launch_chromium(site.url + "/")
        page = desktop.app(app.name)
        page.get_by_role("button", name="Send").wait_for(timeout=20.0)
        page.get_by_label("Name").fill("Ada?")
        # Typed over what is there (Ctrl+A, then the keys); read back from the page, so keys gone astray fail.
        page.get_by_label("Name").fill("Grace Hopper")
        page.get_by_role("button", name="Send").click()
        deadline = time.monotonic() + 10.0
        while not posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert posts == ["Grace Hopper"]
