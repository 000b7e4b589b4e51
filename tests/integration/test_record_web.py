"""Show it once in Chromium: a person puts the focus in the address bar (Ctrl+L), types a loopback site's
address and Enter, clicks into the form's field, types and clicks Send, with real X input while `deskhand
record` watches. The recording opens the page by its address (not the address bar's keys) and lists the site;
`deskhand run` replays it in a fresh browser and the site receives the same POST body."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.loopback_site import POSTING_FORM, Site, loopback_site
from tests.integration.record_helper import (
    center_of,
    click,
    focused_text,
    recording,
    replay,
    type_watched,
    wait_seen,
    xdotool,
)

from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node

pytestmark = pytest.mark.desktop


@pytest.fixture
def site() -> Iterator[Site]:
    with loopback_site(POSTING_FORM) as served:
        yield served


def _posted(site: Site, count: int) -> Node | None:
    return Node(ref="posted", role="text", name="") if len(site.posts) >= count else None


def _name_shown(tree: Node) -> Node | None:
    shown = (n for n in tree.walk() if n.role == "textbox" and n.name == "Name" and n.bounds and not n.bounds.empty)
    return next(shown, None)


def _name_focused(tree: Node) -> Node | None:
    field = focused_text(tree)
    return field if field is not None and field.name == "Name" else None


def _fill_the_form_as_a_person(virtual: VirtualDesktop, site: Site, tmp: Path, out: Path) -> None:
    app = virtual.launch_chromium("about:blank").name
    with recording(virtual, out, tmp / "home", "--app", app, "--name", "web form") as done:
        xdotool(virtual, "key", "ctrl+l")
        wait_seen(virtual, app, focused_text, "its address bar focused")
        address = site.url.removeprefix("http://") + "/form"
        type_watched(virtual, app, [address], lambda value, typed: value.endswith(typed))
        xdotool(virtual, "key", "Return")
        field = wait_seen(virtual, app, _name_shown, "the page's Name field")  # the page has loaded
        assert field.bounds is not None
        click(virtual, field.bounds.center)
        wait_seen(
            virtual, app, lambda t: f if (f := focused_text(t)) is not None and f.name == "Name" else None, "Name"
        )
        type_watched(virtual, app, ["Ada Lovelace"], lambda value, typed: value == typed)
        click(virtual, center_of(virtual, app, "button", "Send"))
        wait_seen(virtual, app, lambda t: _posted(site, 1), "the form posted")
    assert site.posts == ["Ada Lovelace"], done.errors


def test_address_typed_and_web_form_recorded_and_replayed_to_the_same_post(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "web.md"
    with VirtualDesktop() as virtual:
        _fill_the_form_as_a_person(virtual, site, tmp_path, out)
    recorded = out.read_text()
    assert recorded.split("---\n", 2)[1].endswith(f"apps:\n- Chromium\nsites:\n- {site.url}\n"), recorded
    assert recorded.split("---\n\n", 1)[1] == (
        f'1. Open {site.url}/form in the browser\n2. Type "Ada Lovelace" into "Name"\n3. Click "Send"\n'
    )
    # Send cannot be undone: the guard stops it unless a person approved it, as they do by listing it.
    reviewed = tmp_path / "reviewed.md"
    reviewed.write_text(recorded.replace("\n---\n", '\npreapproved: [Click "Send"]\n---\n', 1))
    with VirtualDesktop() as fresh:
        replay(fresh, reviewed, tmp_path / "home")
    assert site.posts == ["Ada Lovelace", "Ada Lovelace"]
