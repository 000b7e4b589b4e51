"""The guard judges a key by what the focused element holds now, not by an event-kept tree that has not caught
up with the last keys (ci73: an Enter in Chromium's address bar was refused for the text a killed process had
left there, though the bar held the new, allowed address by then)."""

from __future__ import annotations

import pytest
from tests.unit.policy.test_policy_guard import ADDRESS_BAR, Sinks, fake, inputs, make_guard, web_policy

from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.tree.node import Node

__all__ = ["fake"]


class LaggingKept(FakeBackend):
    """A fake whose snapshots are the trees as they were when ``freeze`` was called (as an event-kept tree is
    before the app's events arrive), while ``refresh`` reads the element as the app holds it now."""

    def __init__(self, apps: dict[str, Node]) -> None:
        super().__init__(apps)
        self._frozen: dict[str, Node] = {}

    def freeze(self) -> None:
        self._frozen = {app.ref: super(LaggingKept, self).snapshot(app.ref) for app in self.applications()}

    def snapshot(self, app_ref: str) -> Node:
        return self._frozen.get(app_ref) or super().snapshot(app_ref)


@pytest.fixture
def lagging(fake: FakeBackend) -> LaggingKept:
    return LaggingKept({app.name: fake.snapshot(app.ref) for app in fake.applications()})


def test_an_enter_goes_by_the_text_the_bar_holds_now_not_the_kept_trees(lagging: LaggingKept) -> None:
    lagging.update(ADDRESS_BAR, value="http://127.0.0")
    lagging.focus(ADDRESS_BAR)
    lagging.freeze()
    # The bar takes the allowed address (keys whose events the kept tree has not seen yet); the guard does not
    # know which element was acted on last, so it asks what has the focus.
    lagging.update(ADDRESS_BAR, value="https://example.test/form")
    guarded = make_guard(lagging, web_policy(), Sinks())
    guarded.press("Enter")
    assert [i for i in inputs(lagging) if i[0] == "press"] == [("press", "Enter")]


def test_a_foreign_address_the_bar_holds_now_is_still_refused(lagging: LaggingKept) -> None:
    lagging.update(ADDRESS_BAR, value="https://example.test/form")
    lagging.focus(ADDRESS_BAR)
    lagging.freeze()
    lagging.update(ADDRESS_BAR, value="evil.test/steal")
    guarded = make_guard(lagging, web_policy(), Sinks())
    with pytest.raises(PolicyDenied, match=r"evil\.test/steal is not in this workflow's sites"):
        guarded.press("Enter")
    assert [i for i in inputs(lagging) if i[0] == "press"] == []
