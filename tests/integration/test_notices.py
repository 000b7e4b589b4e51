"""Notices from a real run on a real app (zenity's form on the virtual desktop), through the session's own
wiring: the failure notice arrives at a loopback SMTP sink (with the step's screenshot attached) and at a
loopback JSON webhook, each with the run id, workflow, status, step, sentence, suggestion and console link;
a notifier that is down leaves the run's result alone and the notice undelivered until `notices retry`."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from mail_sink import smtp_sink
from typer.testing import CliRunner
from webhook_sink import webhook_sink

from deskhand.app.session import open_run_session
from deskhand.runs.outbox import Outbox
from deskhand.surfaces.cli.main import _register_commands, app
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

WORKFLOW = """---
name: zenity-notice
apps: [zenity]
---
1. Switch to "Add"
2. Type "Ada" into "Name"
3. Type "ada@example.org" into "E-mail address"
"""
FORM = ["zenity", "--forms", "--title=Add", "--add-entry=Name", "--add-entry=Email"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_failing(tmp_path: Path) -> str:
    workflow = tmp_path / "notice.md"
    workflow.write_text(WORKFLOW, encoding="utf-8")
    with open_run_session("virtual", timeout=3.0, approve="deny") as session:
        assert session.session.virtual is not None
        session.session.virtual.launch(FORM)
        flow = load_workflow(workflow, allow_free_form=False)
        outcome = session.runner_for(flow).run(flow, {})
    assert outcome.status == "failed"
    return outcome.run_id


def expected_lines(run_id: str) -> list[str]:
    return [
        f"Run: {run_id}",
        "Workflow: zenity-notice",
        "Status: failed",
        "Step: 3",
        'Sentence: Type "ada@example.org" into "E-mail address"',
        'Suggested sentence: Type "ada@example.org" into "Email"',
        f"Console: http://127.0.0.1:8400/runs/{run_id}",
    ]


def test_a_failure_notice_reaches_mail_and_a_json_webhook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DESKHAND_CONSOLE_URL", raising=False)
    with smtp_sink() as mail, webhook_sink() as hooks:
        mailto = f"mailto://127.0.0.1:{mail.port}?from=deskhand@example.com&to=owner@example.com"
        monkeypatch.setenv("DESKHAND_NOTIFY", f"{mailto} json://127.0.0.1:{hooks.port}/notice")
        run_id = run_failing(tmp_path)
        [posted] = hooks.wait_for(1, timeout=30)
        [received] = mail.wait_for(1, timeout=30)
    for line in expected_lines(run_id):
        assert line in posted["message"].splitlines(), (line, posted["message"])
    assert posted["title"] == "deskhand: zenity-notice failed at step 3"
    message = received.message
    assert received.recipients == ["owner@example.com"]
    assert message["Subject"] == "deskhand: zenity-notice failed at step 3"
    text = message.get_body(preferencelist=("plain", "html"))
    assert text is not None
    for line in expected_lines(run_id):
        assert line in text.get_content(), line
    shots = [part for part in message.iter_attachments() if part.get_content_type() == "image/png"]
    assert len(shots) == 1 and shots[0].get_content().startswith(b"\x89PNG")


def test_a_notifier_that_is_down_does_not_fail_the_run_and_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("DESKHAND_HOME", str(home))
    port = free_port()  # nothing listens here yet: the notifier is down
    monkeypatch.setenv("DESKHAND_NOTIFY", f"json://127.0.0.1:{port}/notice")
    run_id = run_failing(tmp_path)
    [notice] = Outbox(home / "runs.db").recent()
    assert (notice.run_id, notice.status, notice.attempts) == (run_id, "undelivered", 1)
    assert notice.last_error

    _register_commands()
    listed = CliRunner().invoke(app, ["notices", "list"])
    assert "undelivered" in listed.output
    with webhook_sink(port) as hooks:
        retried = CliRunner().invoke(app, ["notices", "retry"])
        [posted] = hooks.wait_for(1, timeout=30)
    assert retried.exit_code == 0, retried.output
    assert "delivered" in retried.output
    assert f"Run: {run_id}" in posted["message"]
    assert Outbox(home / "runs.db").get(notice.id).status == "delivered"


def test_repeats_reach_the_webhook_once_then_as_one_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    with webhook_sink() as hooks:
        monkeypatch.setenv("DESKHAND_NOTIFY", f"json://127.0.0.1:{hooks.port}/notice")
        first = run_failing(tmp_path)
        second = run_failing(tmp_path)
        third = run_failing(tmp_path)
        assert len(hooks.wait_for(1, timeout=30)) == 1
        # The window is over: the next retry sends one digest of the two held back.
        monkeypatch.setenv("DESKHAND_NOTIFY_WINDOW", "0")
        _register_commands()
        retried = CliRunner().invoke(app, ["notices", "retry"])
        bodies = hooks.wait_for(2, timeout=30)
    assert retried.exit_code == 0, retried.output
    assert len(bodies) == 2
    assert f"Run: {first}" in bodies[0]["message"]
    digest = bodies[1]
    assert digest["title"] == "deskhand digest: zenity-notice failed 2 more time(s) at step 3"
    assert second in digest["message"] and third in digest["message"] and first not in digest["message"]
    assert f"http://127.0.0.1:8400/runs/{third}" in digest["message"]
