"""`deskhand approvals`: a person answers what waits in the queue, bound to the values shown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deskhand.app.session import approvals_path
from deskhand.policy.approval import ApprovalRequest, FieldValue
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.surfaces.cli.main import _register_commands, app


@pytest.fixture
def queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ApprovalQueue:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path))
    return ApprovalQueue(approvals_path())


def _request(digest: str = "d" * 64) -> ApprovalRequest:
    return ApprovalRequest(
        run_id="r-1", step=5, sentence='Click "Save contact"', action="click", target='button "Save contact"',
        reason="it sends the form", fields=(), digest=digest,
    )  # fmt: skip


def test_list_approve_and_deny(queue: ApprovalQueue) -> None:
    _register_commands()
    runner = CliRunner()
    first = queue.submit(_request())
    second = queue.submit(_request("e" * 64))
    listed = runner.invoke(app, ["approvals", "list"])
    assert listed.exit_code == 0
    assert first in listed.output and 'button "Save contact"' in listed.output
    assert runner.invoke(app, ["approvals", "approve", first]).exit_code == 0
    assert runner.invoke(app, ["approvals", "deny", second]).exit_code == 0
    assert queue.get(first).status == "approved"
    assert queue.get(second).status == "rejected"
    assert "Nothing is waiting" in runner.invoke(app, ["approvals", "list"]).output


def test_the_list_shows_what_a_form_would_send(queue: ApprovalQueue) -> None:
    _register_commands()
    sent = (FieldValue("amount", "field", "10"), FieldValue("to", "field", "acme"))
    request = replace(_request(), method="post", destination="http://127.0.0.1:8765/pay", sent=sent)
    queue.submit(request)
    listed = CliRunner().invoke(app, ["approvals", "list"]).output
    assert "it sends (POST to http://127.0.0.1:8765/pay):" in listed
    assert "    amount=10" in listed and "    to=acme" in listed  # the hidden field too
