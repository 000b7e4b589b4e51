"""A click goes where the browser sends it, judged so (real Chromium, loopback sites that log every request).

- A clear button laid over a harmless one takes the press at the harmless one's centre: the click is refused
  (page.js checks what lies on top at click time), and the covering button's request never arrives.
- A link whose href Python's urlsplit reads as this page's host (``PARTNER\\@127.0.0.1:port/leak``) leads the
  browser to the off-list partner (a backslash ends the host): refused by the guard before the click.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.injection.harness import run, write_workflow
from tests.injection.site import Site
from tests.injection.test_guard_keys import assert_refused, settle_traffic

from deskhand.app.session import RunSession

pytestmark = pytest.mark.desktop


def test_a_clear_button_laid_over_a_harmless_one_is_not_pressed(
    session: RunSession, sites: tuple[Site, Site], tmp_path: Path
) -> None:
    allowed, _ = sites
    posts = len(allowed.posts)
    steps = ["Open {url} in the browser", 'Wait until "Inbox" appears', 'Click "Next"']
    outcome = run(session, write_workflow(tmp_path, steps, sites=[allowed.base]), url=allowed.url("overlay.html"))
    settle_traffic()
    assert allowed.posts[posts:] == []
    assert outcome.steps[-1].status != "succeeded", [(s.status, s.reason) for s in outcome.steps]
    assert "lies over the middle" in str(outcome.error), outcome.error
    chromium = session.runner.desktop.app("Chromium")
    assert chromium.get_by_text("Next pressed").count() == 0  # the harmless button was not pressed either


def test_a_link_whose_backslash_leads_off_the_site_is_refused(
    session: RunSession, sites: tuple[Site, Site], home: Path, tmp_path: Path
) -> None:
    allowed, partner = sites
    before = len(partner.requests)
    steps = ["Open {url} in the browser", 'Wait until "Results" appears', 'Click "Next page"']
    path = write_workflow(tmp_path, steps, sites=[allowed.base])
    outcome = run(session, path, url=allowed.url("backslash-link.html"))
    assert_refused(outcome, 3, session, home, partner.base.removeprefix("http://"), "not in this workflow's sites")
    settle_traffic()
    assert partner.requests[before:] == []
