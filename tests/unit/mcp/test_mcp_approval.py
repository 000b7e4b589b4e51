"""Elicitation answers reach the guard only for the request the person was shown (its digest); everything else
goes to the fallback (the approval queue), and with none it is refused."""

from __future__ import annotations

from deskhand.policy.approval import ApprovalRequest, CallbackApprover, FieldValue
from deskhand.surfaces.mcp.approval import ElicitationApprover, question


def request(digest: str) -> ApprovalRequest:
    return ApprovalRequest("r-1", 1, "click e4", "click", "button 'Submit'", "submit", (), digest)


def test_an_answer_is_spent_once_for_the_digest_shown() -> None:
    fallback = CallbackApprover(lambda _: False)
    approver = ElicitationApprover(fallback)
    approver.expect(("click", "e4"), "abc")
    approver.settle(("click", "e4"), True)
    assert approver.decide(request("abc")) is True
    assert approver.decide(request("abc")) is False  # spent: the next one goes to the fallback
    assert len(fallback.asked) == 1


def test_a_no_is_final_and_a_changed_form_is_asked_again() -> None:
    fallback = CallbackApprover(lambda _: True)
    approver = ElicitationApprover(fallback)
    approver.expect(("click", "e4"), "abc")
    approver.settle(("click", "e4"), False)
    assert approver.decide(request("abc")) is False and not fallback.asked  # the person said no
    approver.expect(("click", "e4"), "abc")
    approver.settle(("click", "e4"), True)
    assert approver.decide(request("other values")) is True  # not what was shown: the queue decides
    assert [r.digest for r in fallback.asked] == ["other values"]


def test_no_question_no_answer_and_no_fallback_means_refused() -> None:
    approver = ElicitationApprover()
    approver.settle(("click", "e4"), True)  # nothing was asked: nothing is granted
    assert approver.decide(request("abc")) is False
    approver.expect(("press", "Ctrl+Enter"), "def")
    approver.forget()
    approver.settle(("press", "Ctrl+Enter"), True)
    assert approver.decide(request("def")) is False


def test_the_question_shows_the_form_values_it_is_bound_to() -> None:
    asked = ApprovalRequest(
        "r-1", 2, "click e9", "click", "button 'Submit' in qt_form.py", "it means 'submit'",
        (FieldValue("Name", "textbox", "Ada"), FieldValue("Password", "textbox", "••••")), "abc",
    )  # fmt: skip
    text = question(asked)
    assert text.startswith("deskhand wants to click button 'Submit' in qt_form.py.")
    assert "  Name: Ada\n  Password: ••••" in text and text.endswith("Allow it?")
