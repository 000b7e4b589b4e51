"""An assistant's own MCP tool calls, recorded as a workflow (record_start / record_stop over the real protocol,
the official client SDK over stdio), then run by `deskhand run` on a fresh copy of the app with no model: both
times the Qt form prints the same values (its own output, read by this test)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import anyio
import psutil
import pytest
from mcp.client.client import Client
from tests.integration.test_mcp_support import QT_APP, QT_TITLE, ElicitationAnswers, ref_of, stdio_params, text_of

from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

SRC = Path(__file__).resolve().parents[2] / "src"
VALUES = {"name": "Grace Hopper", "email": "grace@example.org", "plan": "Enterprise", "subscribe": True, "seats": 1}
STEPS = [
    '1. Switch to "deskhand Qt form"',
    '2. Type "Grace Hopper" into "Name"',
    '3. Type "grace@example.org" into "Email"',
    '4. Choose "Enterprise" in "Plan"',
    '5. Check "Subscribe to newsletter"',
    '6. Wait until "Enterprise" appears',
    '7. Click "Submit"',
]


def printed(app: LaunchedApp) -> dict[str, object]:
    """The Qt form's own output: it prints its values as JSON when Submit is pressed, then quits."""
    psutil.Process(app.pid).wait(20)
    values: dict[str, object] = json.loads(app.log_path.read_text(encoding="utf-8").splitlines()[-1])
    return values


def record_over_mcp(virtual: VirtualDesktop, home: Path) -> str:
    answers = ElicitationAnswers("accept")

    async def session() -> str:
        params = stdio_params(virtual, home, "--apps", QT_APP)
        async with Client(params, elicitation_callback=answers) as c:
            stopped = await c.call_tool("record_stop", {})
            assert stopped.is_error and "record_start first" in text_of(stopped)
            started = await c.call_tool("record_start", {"name": "sign up"})
            assert not started.is_error, text_of(started)
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            calls = [
                ("fill", {"ref": ref_of(view, "textbox", "Name"), "text": "Grace Hopper"}),
                ("fill", {"ref": ref_of(view, "textbox", "Email"), "text": "grace@example.org"}),
                ("select", {"ref": ref_of(view, "combobox", "Basic"), "option": "Enterprise"}),
                ("check", {"ref": ref_of(view, "checkbox", "Subscribe"), "on": True}),
                ("wait_for", {"text": "Enterprise", "timeout": 10}),
                ("read", {"ref": ref_of(view, "textbox", "Name")}),  # looks only: no step
                ("click", {"ref": ref_of(view, "button", "Submit")}),
            ]
            for name, arguments in calls:
                result = await c.call_tool(name, arguments)
                assert not result.is_error, (name, text_of(result))
            again = await c.call_tool("record_start", {})
            assert again.is_error and "already running" in text_of(again)
            recorded = await c.call_tool("record_stop", {})
            assert not recorded.is_error, text_of(recorded)
            return text_of(recorded)

    workflow = anyio.run(session)
    assert len(answers.questions) == 1 and "Submit" in answers.questions[0]
    return workflow


def approve_in_queue(home: Path, asked: list[str], stop: threading.Event) -> None:
    """A person answering deskhand's approval queue: yes to what the replay asks."""
    while not stop.is_set():
        path = home / "approvals.db"
        if path.exists():
            queue = ApprovalQueue(path)
            for item in queue.pending():
                asked.append(str(item.request.get("sentence", "")))
                queue.answer(item.id, True)
        time.sleep(0.1)


def test_the_assistants_own_calls_become_a_workflow_that_replays_them(
    desktop: VirtualDesktop, qt_form_command: list[str], tmp_path: Path
) -> None:
    first = desktop.launch(qt_form_command, timeout=30)
    workflow = record_over_mcp(desktop, tmp_path / "mcp-home")
    assert printed(first) == VALUES  # the session itself did the task

    front, body = workflow.split("\n---\n", 1)
    assert "name: sign-up" in front and f"- {QT_APP}" in front, workflow
    assert [line for line in body.splitlines() if line.strip()] == STEPS, workflow

    saved = tmp_path / "sign-up.md"
    saved.write_text(workflow, encoding="utf-8")
    second = desktop.launch(qt_form_command, timeout=30)
    home = tmp_path / "run-home"
    home.mkdir()
    asked: list[str] = []
    stop = threading.Event()
    person = threading.Thread(target=approve_in_queue, args=(home, asked, stop), daemon=True)
    person.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "deskhand", "run", str(saved), "--desktop", "current", "--approve", "queue"],
            env={**desktop.env, "PYTHONPATH": str(SRC), "DESKHAND_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        stop.set()
        person.join(10)
    assert done.returncode == 0, done.stdout + done.stderr
    assert asked == ['Click "Submit"']  # the replay asked, as the session did
    assert printed(second) == VALUES  # the replay, with no model, did the same task
