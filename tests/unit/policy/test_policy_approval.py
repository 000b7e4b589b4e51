"""Approval requests: the digest that binds them, the terminal and the queue (on SQLite and on PostgreSQL, where a
fleet's workers and consoles share it)."""

from __future__ import annotations

import dataclasses
import io
import threading
from pathlib import Path

import pytest

from deskhand.errors import ApprovalRejected
from deskhand.policy.approval import ApprovalRequest, FieldValue, TerminalApprover, approval_digest, form_fields
from deskhand.policy.approval_queue import ApprovalQueue, QueueApprover
from deskhand.tree.node import Node
from deskhand.tree.roles import State

FIELDS = (FieldValue("Email", "textbox", "ada@example.org"), FieldValue("Newsletter", "checkbox", "on"))


def request(fields: tuple[FieldValue, ...] = FIELDS) -> ApprovalRequest:
    digest = approval_digest("click", "button 'Send' in Chromium", fields)
    return ApprovalRequest("r-1", 4, 'Click "Send"', "click", "button 'Send'", "means 'send'", fields, digest)


def test_the_digest_moves_with_any_value() -> None:
    changed = (FIELDS[0], FieldValue("Newsletter", "checkbox", "off"))
    assert approval_digest("click", "t", FIELDS) == approval_digest("click", "t", FIELDS)
    assert approval_digest("click", "t", FIELDS) != approval_digest("click", "t", changed)
    assert approval_digest("click", "t", FIELDS) != approval_digest("click", "other", FIELDS)


def test_form_fields_hide_passwords_and_secrets() -> None:
    window = Node(
        "w",
        "window",
        children=(
            Node("a", "textbox", name="User", value="ada"),
            Node("b", "textbox", name="Password", value="hunter2", states=frozenset({State.PASSWORD})),
            Node("c", "textbox", name="Token", value="tok-SECRET"),
            Node("d", "checkbox", name="Remember", states=frozenset({State.CHECKED})),
            Node("e", "button", name="Send"),
        ),
    )
    shown = form_fields(window, lambda text: text.replace("tok-SECRET", "{secret:token}"))
    assert [(f.label, f.value) for f in shown] == [
        ("User", "ada"),
        ("Password", "•••••••"),
        ("Token", "{secret:token}"),
        ("Remember", "on"),
    ]


def test_the_terminal_approver_takes_only_yes() -> None:
    out = io.StringIO()
    assert TerminalApprover(read_line=lambda: "y\n", out=out).decide(request()) is True
    assert "Email: ada@example.org" in out.getvalue()
    assert TerminalApprover(read_line=lambda: "\n", out=out).decide(request()) is False
    assert TerminalApprover(read_line=lambda: "yes please", out=out).decide(request()) is False


def test_the_queue_is_answered_from_elsewhere(store_where: Path | str) -> None:
    queue = ApprovalQueue(store_where)
    approver = QueueApprover(ApprovalQueue(store_where), timeout=5)

    def answer() -> None:
        while not queue.pending():
            threading.Event().wait(0.02)
        (waiting,) = queue.pending()
        assert waiting.request["fields"][0]["value"] == "ada@example.org"
        queue.answer(waiting.id, True, digest=waiting.request["digest"])

    helper = threading.Thread(target=answer)
    helper.start()
    assert approver.decide(request()) is True
    helper.join()
    assert queue.pending() == []


def test_an_answer_for_other_values_or_twice_is_refused(store_where: Path | str) -> None:
    queue = ApprovalQueue(store_where)
    approval_id = queue.submit(request())
    with pytest.raises(ApprovalRejected, match="other values"):
        queue.answer(approval_id, True, digest="0" * 64)
    queue.answer(approval_id, False)
    with pytest.raises(ApprovalRejected, match="already rejected"):
        queue.answer(approval_id, True)


def test_an_unanswered_request_expires_as_no(store_where: Path | str) -> None:
    queue = ApprovalQueue(store_where)
    assert QueueApprover(queue, timeout=0.2).decide(request()) is False
    assert queue.pending() == []


def test_a_request_screenshot_travels_intact(store_where: Path | str) -> None:
    picture = bytes(range(256)) * 4  # every byte value, as a PNG has
    queue = ApprovalQueue(store_where)
    approval_id = queue.submit(dataclasses.replace(request(), screenshot_png=picture))
    assert ApprovalQueue(store_where).screenshot(approval_id) == picture
