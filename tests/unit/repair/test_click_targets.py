"""What a step's target is, decided in one place (runner.targets): a text field is clicked by its name or
label, never by the text typed in it — for the step itself, its fail-fast wait, and heals and suggestions
that verify a sentence by resolving it."""

from __future__ import annotations

import pytest
from repair_apps import n

from deskhand.backends.fake import FakeBackend
from deskhand.errors import NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.runner.targets import find_target, names


def _browser() -> Desktop:
    bar = n("bar", "textbox", "Address and search bar", value="http://127.0.0.1:8000/tools")
    search = n("search", "searchbox", "Find a report")
    return Desktop(FakeBackend({"Chromium": n("win", "window", "Report", bar, search, n("rep", "button", "Report"))}))


def test_the_text_typed_in_a_field_does_not_make_it_a_click_target() -> None:
    with pytest.raises(NoMatch, match="Nothing called 'tools'"):
        find_target(_browser().app("Chromium"), "click", "tools", timeout=0)


def test_a_field_is_still_clicked_by_its_name() -> None:
    found, _ = find_target(_browser().app("Chromium"), "click", "Find a report", timeout=0)
    assert found.ref == "search"


def test_only_clicks_are_judged_so() -> None:
    bar = n("bar", "textbox", "Address", value="tools")
    assert not names("click", "tools", bar)
    assert names("click", "Address", bar)
    assert names("type_text", "tools", bar)
    assert names("click", "tools", n("b", "button", "Tools"))
