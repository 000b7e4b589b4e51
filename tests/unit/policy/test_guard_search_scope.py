"""A step that names no app searches only the apps the workflow may use: another app the person has open is
no place to look, not a refused read; one that names an app outside them is still refused."""

from __future__ import annotations

import pytest
from tests.unit.policy.test_policy_guard import Sinks, fake, make_guard

from deskhand.backends.fake import FakeBackend
from deskhand.errors import NoMatch, PolicyDenied
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator
from deskhand.policy.rules import Policy

__all__ = ["fake"]  # the fixture


def anywhere(desktop: Desktop) -> Locator:
    return Locator(desktop, app_name=None, selector=None)


def test_a_search_naming_no_app_looks_only_in_the_workflows_apps(fake: FakeBackend) -> None:
    sinks = Sinks()
    desktop = Desktop(make_guard(fake, Policy(apps=("zenity",)), sinks))
    found = anywhere(desktop).get_by_role("textbox").first.resolve()
    assert found.app.name == "zenity"  # Chromium, first on the bus, was not read (its read is refused)
    assert not [entry for entry in sinks.audit if entry[2].startswith("refused")]


def test_what_was_not_found_names_the_apps_not_searched(fake: FakeBackend) -> None:
    desktop = Desktop(make_guard(fake, Policy(apps=("zenity",)), Sinks()))
    with pytest.raises(NoMatch, match=r"not searched: 'Chromium', outside this workflow's apps"):
        anywhere(desktop).get_by_role("button", name="Create account").resolve()


def test_a_step_naming_an_app_outside_them_is_still_refused(fake: FakeBackend) -> None:
    desktop = Desktop(make_guard(fake, Policy(apps=("zenity",)), Sinks()))
    with pytest.raises(PolicyDenied, match="'Chromium' is not in this workflow's apps"):
        desktop.app("Chromium").get_by_role("textbox").first.resolve()
