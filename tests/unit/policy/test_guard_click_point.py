"""A click is judged by what lies under the point the pointer goes to, not by the element's name alone: a click
on a nameless panel whose middle is a "Delete" button presses Delete (the old guard let it through unasked), and
a click at a point of a page's panel that falls on a link to another site goes there."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from tests.unit.policy.test_policy_guard import Sinks, inputs

from deskhand.backends.base import MouseButton
from deskhand.backends.fake import FakeBackend
from deskhand.errors import ApprovalRejected, PolicyDenied
from deskhand.policy.approval import ApprovalRequest, CallbackApprover
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy, StepPolicy
from deskhand.policy.secrets import SecretStore
from deskhand.tree.node import Bounds, Node

SHOWN = frozenset({"visible", "showing", "enabled", "sensitive"})


def box(x: int, y: int, w: int, h: int) -> Bounds:
    return Bounds(x, y, w, h)


def node(ref: str, role: str, name: str, bounds: Bounds, *children: Node, **attributes: str) -> Node:
    return Node(
        ref=ref, role=role, name=name, states=SHOWN, bounds=bounds, children=children, attributes=dict(attributes)
    )


class Pointing(FakeBackend):
    """The fake with a pointer (base.PointerAccess): clicks at a point are logged like its other input."""

    def click_at(self, ref: str, x: int, y: int, *, button: MouseButton = "left", count: int = 1) -> None:
        self.log.append(("click_at", ref, x, y))

    def drag(self, from_ref: str, to_ref: str) -> None:
        self.log.append(("drag", from_ref, to_ref))


def mail_app() -> Pointing:
    delete = node("delete", "button", "Delete", box(50, 25, 100, 50))
    keep = node("keep", "button", "Keep", box(0, 0, 40, 20))
    panel = node("panel", "generic", "", box(0, 0, 200, 100), keep, delete)
    window = node("win", "window", "Mail", box(0, 0, 200, 100), panel)
    return Pointing({"Mousepad": Node(ref="root", role="application", name="Mousepad", children=(window,))})


@dataclass
class Asked:
    requests: list[ApprovalRequest] = field(default_factory=list)
    answer: bool = False

    def __call__(self, request: ApprovalRequest) -> bool:
        self.requests.append(request)
        return self.answer


def guarded(backend: FakeBackend, policy: Policy, asked: Asked | None = None) -> GuardedBackend:
    guard = Guard(policy=policy, events=Sinks(), store=SecretStore(env={}))
    if asked is not None:
        guard.approver = CallbackApprover(asked)
    shield = GuardedBackend(backend, guard)
    shield.begin_step(StepPolicy(run_id="r-1", n=1, sentence='Click "panel"'))
    return shield


def test_a_click_on_a_panel_whose_middle_is_a_delete_button_asks_like_delete() -> None:
    app = mail_app()
    asked = Asked()
    with pytest.raises(ApprovalRejected, match="Delete"):
        guarded(app, Policy(apps=("Mousepad",)), asked).click("panel")
    assert inputs(app) == []
    assert [r.target for r in asked.requests] == ["button 'Delete' in Mousepad"]


def test_an_approved_press_through_the_panel_goes_ahead_on_the_button_read_again() -> None:
    app = mail_app()
    asked = Asked(answer=True)
    guarded(app, Policy(apps=("Mousepad",)), asked).click("panel")
    assert inputs(app) == [("click", "panel", "left", 1)]


def test_a_click_at_a_point_is_judged_by_the_control_at_that_point() -> None:
    app = mail_app()
    shield = guarded(app, Policy(apps=("Mousepad",)))
    shield.click_at("panel", 10, 10)  # on "Keep": allowed
    with pytest.raises(ApprovalRejected, match="Delete"):
        shield.click_at("panel", 100, 50)  # on "Delete": asked (the default approver says no)
    assert inputs(app) == [("click_at", "panel", 10, 10)]


def test_a_click_on_a_page_panel_over_a_foreign_link_is_refused() -> None:
    link = node("a", "link", "Next page", box(300, 300, 200, 40), href="https://evil.test/next")
    panel = node("p", "generic", "", box(100, 200, 600, 240), link)
    page = node("doc", "document", "Shop", box(0, 100, 800, 600), panel)
    bar = Node(
        ref="bar", role="textbox", name="Address and search bar", states=SHOWN, value="https://example.test/shop"
    )
    window = node("w", "window", "Shop - Chromium", box(0, 0, 800, 700), bar, page)
    browser = Pointing({"Chromium": Node(ref="root", role="application", name="Chromium", children=(window,))})
    shield = guarded(browser, Policy(apps=("chromium",), sites=("https://example.test",)))
    with pytest.raises(PolicyDenied, match=r"evil\.test/next is not in this workflow's sites"):
        shield.click("p")
    assert inputs(browser) == []


def test_the_question_put_ahead_over_mcp_is_the_one_the_click_will_ask() -> None:
    # MCP asks the person before the call acts (approval_preview): it must ask about what the click presses.
    preview = guarded(mail_app(), Policy(apps=("Mousepad",))).approval_preview("click", "panel")
    assert preview is not None and preview.target == "button 'Delete' in Mousepad"
