"""Thunderbird: compose To/Cc/Subject/body, attach a file through the file chooser, send — an irreversible
action that is blocked without approval and goes when preapproved. Evidence: the exact message at a loopback
SMTP sink (aiosmtpd), parsed with the standard library."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.mail_sink import smtp_sink
from tests.integration.office import guarded_runner, workflow_file
from tests.integration.thunderbird import launch_compose

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def _told(error: dict[str, object] | None) -> str:
    """The run's error in full (pytest cuts a dict's repr short, and the message is what says what was read)."""
    return "\n".join(f"{key}: {value}" for key, value in (error or {}).items())


def test_compose_attach_and_send_reaches_the_sink_only_when_approved(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Quarterly notes: 42 units.\n", encoding="utf-8")
    compose = [
        'Switch to "Write:"',
        'Type "ada@example.org" into "To"',
        'Click "Cc"',
        'Type "grace@example.org" into "Cc"',
        'Type "Quarterly numbers" into "Subject"',
        'Type "Hello Ada, the numbers are attached." into "Message body"',
        f'Attach the file "{notes}"',
        'Click "Send"',
    ]
    with smtp_sink() as sink, guarded_runner(timeout=30) as guarded:
        launch_compose(guarded.virtual, sink.port)
        blocked = guarded.runner.run(
            load_workflow(workflow_file(tmp_path, "compose", "thunderbird", compose), allow_free_form=False), {}
        )
        assert blocked.status == "failed", blocked.error["message"] if blocked.error else None
        assert [s.status for s in blocked.steps][-1] == "blocked", _told(blocked.error)
        assert sink.wait_for(1, timeout=3) == []

        steps = ['Switch to "Write:"', 'Click "Send"']
        send = workflow_file(tmp_path, "send", "thunderbird", steps, "preapproved: [2]\n")
        sent = guarded.runner.run(load_workflow(send, allow_free_form=False), {})
        assert sent.status == "succeeded", sent.error
        received = sink.wait_for(1, timeout=60)

    assert len(received) == 1
    mail = received[0]
    assert sorted(mail.recipients) == ["ada@example.org", "grace@example.org"]
    assert mail.sender == "me@example.org"
    message = mail.message
    assert message["Subject"] == "Quarterly numbers"
    assert message["To"] == "ada@example.org"
    assert message["Cc"] == "grace@example.org"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == "Hello Ada, the numbers are attached."
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["notes.txt"]
    assert attachments[0].get_content() == "Quarterly notes: 42 units.\n"
