"""A second mail client, GTK 3 this time (Debian's Claws Mail): compose To/Subject/body and send — blocked without
approval, sent when preapproved. Its compose window has nothing in common with Thunderbird's but widget kinds:
the "To:" caption is a combo box choosing the header's kind, beside an entry with no name of its own; the body
is a nameless multi-line text view. Evidence: the exact message at the loopback SMTP sink."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.claws import launch_claws_compose
from tests.integration.mail_sink import smtp_sink
from tests.integration.office import guarded_runner, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

COMPOSE = [
    'Switch to "Compose message"',
    'Type "ada@example.org" into "To"',
    'Type "Quarterly numbers" into "Subject"',
    'Type "Hello Ada, the numbers are attached." into the last text field in "Compose message"',
    'Click "Send" in "Compose message"',
]


def _told(run: object) -> str:
    steps = getattr(run, "steps", [])
    return "\n".join(f"{s.n} {s.status} {s.reason or ''}" for s in steps) + f"\n{getattr(run, 'error', None)}"


def test_compose_and_send_reaches_the_sink_only_when_approved(tmp_path: Path) -> None:
    with smtp_sink() as sink, guarded_runner(timeout=30) as guarded:
        launch_claws_compose(guarded.virtual, sink.port)
        blocked = guarded.runner.run(
            load_workflow(workflow_file(tmp_path, "compose", "claws-mail", COMPOSE), allow_free_form=False), {}
        )
        assert [s.status for s in blocked.steps] == ["succeeded"] * 4 + ["blocked"], _told(blocked)
        assert sink.wait_for(1, timeout=3) == []

        steps = ['Switch to "Compose message"', 'Click "Send" in "Compose message"']
        send = workflow_file(tmp_path, "send", "claws-mail", steps, "preapproved: [2]\n")
        sent = guarded.runner.run(load_workflow(send, allow_free_form=False), {})
        assert sent.status == "succeeded", _told(sent)
        received = sink.wait_for(1, timeout=60)

    assert len(received) == 1, "nothing reached the sink"
    mail = received[0]
    assert mail.recipients == ["ada@example.org"]
    assert mail.sender == "me@example.org"
    assert mail.message["Subject"] == "Quarterly numbers"
    assert mail.message["To"] == "ada@example.org"
    body = mail.message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == "Hello Ada, the numbers are attached."
