"""A drag is judged by what the drop hands over: a dragged link carries its address (dropped on the tab strip, the
bar or a page that takes no drops, the browser goes there), text or a file dropped on the browser's own controls
is an address deskhand cannot see, and a file from another app dropped on a page is given to the page. The old
guard judged only that both ends were in allowed apps and sites."""

from __future__ import annotations

import pytest
from tests.unit.policy.test_guard_click_point import SHOWN, Pointing, box, guarded, node
from tests.unit.policy.test_policy_guard import inputs

from deskhand.errors import PolicyDenied
from deskhand.policy.rules import Policy
from deskhand.tree.node import Node

POLICY = Policy(apps=("chromium", "nautilus"), sites=("https://example.test",))


def desktop() -> Pointing:
    away = node("away", "link", "Partner offers", box(10, 200, 100, 20), href="https://evil.test/offers")
    home = node("home", "link", "Home", box(10, 230, 100, 20), href="/home")
    note = node("note", "paragraph", "evil.test/steal", box(10, 260, 200, 20))
    first = node("first", "listitem", "First", box(10, 300, 100, 20))
    second = node("second", "listitem", "Second", box(10, 330, 100, 20))
    page = node("doc", "document", "Shop", box(0, 100, 800, 600), away, home, note, first, second)
    bar = Node(
        ref="bar", role="textbox", name="Address and search bar", states=SHOWN, value="https://example.test/shop"
    )
    tab = node("tab", "tab", "Shop", box(0, 0, 200, 30))
    window = node("w", "window", "Shop - Chromium", box(0, 0, 800, 700), tab, bar, page)
    report = node("file", "listitem", "report.pdf", box(900, 100, 100, 20))
    files = node("fw", "window", "Documents", box(850, 0, 400, 400), report)
    return Pointing(
        {
            "Chromium": Node(ref="root", role="application", name="Chromium", children=(window,)),
            "nautilus": Node(ref="files", role="application", name="nautilus", children=(files,)),
        }
    )


@pytest.mark.parametrize(
    ("source", "drop", "refused"),
    [
        ("away", "first", r"evil\.test/offers is not in this workflow's sites"),  # the link leads off the site
        ("away", "tab", r"evil\.test/offers is not in this workflow's sites"),
        ("note", "tab", "the browser's own controls"),  # text dropped on the tab strip: an unseen address
        ("file", "second", "a page, from nautilus"),  # a file from another app given to the page
    ],
)
def test_a_drop_that_hands_the_browser_something_unjudged_is_refused(source: str, drop: str, refused: str) -> None:
    app = desktop()
    with pytest.raises(PolicyDenied, match=refused):
        guarded(app, POLICY).drag(source, drop)
    assert inputs(app) == []


@pytest.mark.parametrize(("source", "drop"), [("home", "tab"), ("first", "second"), ("note", "first")])
def test_drags_within_the_site_go_ahead(source: str, drop: str) -> None:
    app = desktop()
    guarded(app, POLICY).drag(source, drop)
    assert inputs(app) == [("drag", source, drop)]
