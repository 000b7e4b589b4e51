"""Firefox (Debian's firefox-esr) as a second browser: the same step language, locators and policy as
Chromium. Runs go through the CLI; the evidence is what the servers received (a POST body, or nothing).

The site-policy cases run in both browsers: a link to an off-list site is refused before the browser
requests anything, and a page of an off-list site is hidden. Under the guard, a Firefox deskhand starts
also blocks off-list requests at the network layer (a proxy auto-config script from ``sites``): a page
of an allowed site that loads from an off-list one gets nothing from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.fixtures.web.server import serve_pages
from tests.injection.site import Site, allowed_and_partner
from tests.integration.cli_shell import cli_env, deskhand, web_workflow
from tests.integration.loopback_site import loopback_site

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

BROWSERS = ("chromium", "firefox")


@pytest.fixture(scope="module")
def site() -> Iterator[Any]:
    with serve_pages() as running:
        yield running


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    import os

    drop = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "DESKHAND_DESKTOP", "WAYLAND_DISPLAY")
    plain = {k: v for k, v in os.environ.items() if k not in drop}
    return cli_env(plain, DESKHAND_HOME=str(tmp_path / "home"))


def test_front_matter_browser_firefox_fills_and_submits(site: Any, env: dict[str, str], tmp_path: Path) -> None:
    site.posts.clear()
    workflow = web_workflow(tmp_path, site.base, browser="firefox", apps="firefox")
    ran = deskhand(["run", str(workflow), "--desktop", "virtual"], env, cwd=tmp_path)
    assert ran.code == 0, ran
    assert "started Firefox on its own desktop (pages read over AT-SPI)" in ran.err
    body = site.wait_for_post(timeout=15)
    assert {k: body[k] for k in ("first_name", "last_name", "country", "terms")} == {
        "first_name": ["Ada"],
        "last_name": ["Lovelace"],
        "country": ["Japan"],
        "terms": ["yes"],
    }


def test_open_in_firefox_sentence(site: Any, env: dict[str, str], tmp_path: Path) -> None:
    site.posts.clear()
    path = tmp_path / "ff.md"
    path.write_text(
        f'---\nname: ff\napps: [firefox]\nsites: ["{site.base}"]\npreapproved: [3]\n---\n'
        f"1. Open {site.base}/form.html in Firefox\n"
        '2. Type "Grace" into "First name"\n'
        '3. Click "Submit"\n'
    )
    ran = deskhand(["run", str(path), "--desktop", "virtual"], env, cwd=tmp_path)
    assert ran.code == 0, ran
    assert site.wait_for_post(timeout=15)["first_name"] == ["Grace"]


@pytest.fixture
def two_sites() -> Iterator[tuple[Site, Site]]:
    with allowed_and_partner() as pair:
        yield pair


@pytest.mark.parametrize("browser", BROWSERS)
def test_off_list_link_is_refused_before_it_is_followed(
    browser: str, two_sites: tuple[Site, Site], env: dict[str, str], tmp_path: Path
) -> None:
    allowed, partner = two_sites
    path = tmp_path / "link.md"
    path.write_text(
        f'---\nname: link\napps: [{browser}]\nbrowser: {browser}\nsites: ["{allowed.base}"]\n---\n'
        f"1. Open {allowed.base}/offsite-link.html in the browser\n"
        '2. Click "Partner portal"\n'
    )
    ran = deskhand(["run", str(path), "--desktop", "virtual"], env, cwd=tmp_path)
    assert ran.code == 1, ran
    assert "not in this workflow's sites" in ran.err, ran
    assert partner.requests == []  # the browser never asked the partner for anything


@pytest.mark.parametrize("partner_listed", [False, True], ids=["partner-off-list", "partner-listed"])
@pytest.mark.parametrize("browser", BROWSERS)
def test_a_page_of_an_off_list_site_is_hidden(
    browser: str, partner_listed: bool, two_sites: tuple[Site, Site], env: dict[str, str], tmp_path: Path
) -> None:
    """The person has the partner's page open: a workflow sees its text only when the partner is listed."""
    allowed, partner = two_sites
    with VirtualDesktop() as person:
        person.launch_browser(browser, partner.url("evil.html"), timeout=60)  # type: ignore[arg-type]
        sites = f'"{allowed.base}", "{partner.base}"' if partner_listed else f'"{allowed.base}"'
        path = tmp_path / "hidden.md"
        path.write_text(
            f"---\nname: hidden\napps: [{browser}]\nsites: [{sites}]\n---\n"
            '1. Wait until "Customer data" appears within 5 seconds\n'
        )
        ran = deskhand(["run", str(path), "--desktop", "current"], {**env, **cli_env(person.env)}, cwd=tmp_path)
    if partner_listed:
        assert ran.code == 0, ran
    else:
        assert ran.code == 1, ran
        assert "'Customer data' did not appear" in ran.err, ran


@pytest.mark.parametrize("partner_listed", [False, True], ids=["partner-off-list", "partner-listed"])
def test_firefox_blocks_off_list_requests_at_the_network_layer(
    partner_listed: bool, env: dict[str, str], tmp_path: Path
) -> None:
    """A page of the allowed site loads an image, a script and a fetch from the partner: none arrives
    while the partner is off the list; all do once it is listed (so the blocking is what stops them)."""
    with (
        loopback_site(b"", host="localhost") as partner_site,
        loopback_site(lambda path: _beacon_page(partner_site.url).encode()) as allowed_site,
    ):
        allowed, partner, partner_hits = allowed_site.url, partner_site.url, partner_site.asked
        sites = f'"{allowed}", "{partner}"' if partner_listed else f'"{allowed}"'
        path = tmp_path / "beacon.md"
        path.write_text(
            f"---\nname: beacon\napps: [firefox]\nbrowser: firefox\nsites: [{sites}]\n---\n"
            f"1. Open {allowed}/beacon.html in the browser\n"
            '2. Wait until "fetch done" appears within 20 seconds\n'
        )
        ran = deskhand(["run", str(path), "--desktop", "virtual"], env, cwd=tmp_path)
    assert ran.code == 0, ran
    if partner_listed:
        assert {hit.split("?")[0] for hit in partner_hits} >= {"/pixel.png", "/tracker.js", "/collect"}
    else:
        assert partner_hits == []


def _beacon_page(partner: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Beacon page</title></head><body>"
        "<h1>Beacon page</h1><p id='out'>waiting</p>"
        f"<img src='{partner}/pixel.png' alt=''>"
        f"<script src='{partner}/tracker.js'></script>"
        f"<script>fetch('{partner}/collect?d=1').catch(() => 0)"
        ".finally(() => { document.getElementById('out').textContent = 'fetch done'; });</script>"
        "</body></html>"
    )
