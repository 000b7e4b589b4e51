"""A key in typed text is judged again when the page moved the focus while the text before it was typed (a keydown
handler can): "notes\\n" typed into a search box outside any form had its Enter judged there, ahead, and the old
guard sent it to wherever the focus was then — a field of a form that posts, submitted unasked."""

from __future__ import annotations

import pytest
from tests.unit.policy.test_guard_click_point import SHOWN, box, guarded, node
from tests.unit.policy.test_policy_guard import inputs

from deskhand.backends.fake import FakeBackend
from deskhand.errors import ApprovalRejected
from deskhand.policy.rules import Policy
from deskhand.tree.node import Node

POLICY = Policy(apps=("chromium",), sites=("https://example.test",))
EDITABLE = SHOWN | {"focusable", "editable"}


class MovesFocusOnKeys(FakeBackend):
    """A page whose script moves the focus to the form's field as soon as anything is typed."""

    def type_text(self, text: str) -> None:
        super().type_text(text)
        self.focus("amount")


def page() -> MovesFocusOnKeys:
    search = Node(ref="search", role="textbox", name="Search", states=EDITABLE, bounds=box(10, 110, 200, 20))
    amount = Node(ref="amount", role="textbox", name="Amount", states=EDITABLE, bounds=box(10, 210, 200, 20))
    form = node("form", "form", "Transfer", box(0, 200, 800, 100), amount)
    document = node("doc", "document", "Bank", box(0, 100, 800, 600), search, form)
    bar = Node(ref="bar", role="textbox", name="Address and search bar", states=SHOWN, value="https://example.test/")
    window = node("w", "window", "Bank - Chromium", box(0, 0, 800, 700), bar, document)
    return MovesFocusOnKeys({"Chromium": Node(ref="root", role="application", name="Chromium", children=(window,))})


def test_an_enter_judged_ahead_is_judged_again_where_the_focus_went() -> None:
    app = page()
    shield = guarded(app, POLICY)
    shield.focus("search")
    with pytest.raises(ApprovalRejected, match="submit"):
        shield.type_text("notes\n")
    assert [i for i in inputs(app) if i[0] == "press"] == []


def test_an_enter_where_the_focus_stayed_goes_as_judged() -> None:
    app = page()
    app.type_text = FakeBackend.type_text.__get__(app)  # type: ignore[method-assign]  # a page that moves nothing
    shield = guarded(app, POLICY)
    shield.focus("search")
    shield.type_text("notes\n")
    assert [i for i in inputs(app) if i[0] == "press"] == [("press", "Return")]
