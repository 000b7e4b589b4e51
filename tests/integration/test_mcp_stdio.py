"""`deskhand mcp` over stdio, driven by the official MCP client SDK, acting on the real Qt form on a virtual
desktop under deskhand.policy: fill and submit it (the irreversible Submit approved through elicitation, or
through the approval queue when the client cannot be asked), refusals recorded as blocked in the run, secrets
typed by name and never returned, and the errors a client can run into, each a clear tool error with the
server still serving."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import anyio
import psutil
import pytest
from mcp.client.client import Client
from tests.integration.test_mcp_support import (
    QT_APP,
    QT_TITLE,
    ElicitationAnswers,
    qt_form,
    ref_of,
    stdio_params,
    text_of,
)

from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.runs.audit import AuditLog
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp

__all__ = ["qt_form"]
pytestmark = [pytest.mark.desktop, pytest.mark.slow]

EXPECTED_TOOLS = {
    "list_apps",
    "open_app",
    "snapshot",
    "click",
    "fill",
    "select",
    "check",
    "press",
    "scroll",
    "read",
    "wait_for",
    "screenshot",
    "run_workflow",
    "list_workflows",
    "list_runs",
    "get_run",
}


def _submitted(app: LaunchedApp) -> dict[str, object]:
    """What the Qt form printed when Submit was pressed (it quits then)."""
    psutil.Process(app.pid).wait(10)
    printed: dict[str, object] = json.loads(app.log_path.read_text(encoding="utf-8").splitlines()[-1])
    return printed


def test_fill_and_submit_the_qt_form(desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path) -> None:
    answers = ElicitationAnswers("accept")

    async def session() -> None:
        async with Client(stdio_params(desktop, tmp_path, "--apps", QT_APP), elicitation_callback=answers) as c:
            tools = await c.list_tools()
            assert {tool.name for tool in tools.tools} >= EXPECTED_TOOLS

            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            name, email = ref_of(view, "textbox", "Name"), ref_of(view, "textbox", "Email")
            plan, subscribe = ref_of(view, "combobox", "Basic"), ref_of(view, "checkbox", "Subscribe")

            filled = await c.call_tool("fill", {"ref": name, "text": "Grace Hopper"})
            assert not filled.is_error, text_of(filled)
            assert f'~ textbox "Name" [{name}] = "Grace Hopper"' in text_of(filled)  # the diff, not a new snapshot
            assert not (await c.call_tool("fill", {"ref": email, "text": "grace@example.org"})).is_error
            chosen = await c.call_tool("select", {"ref": plan, "option": "Enterprise"})
            assert not chosen.is_error, text_of(chosen)
            checked = await c.call_tool("check", {"ref": subscribe, "on": True})
            assert f'~ checkbox "Subscribe to newsletter" [{subscribe}] checked' in text_of(checked), text_of(checked)
            assert '"Grace Hopper"' in text_of(await c.call_tool("read", {"ref": name}))

            submitted = await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")})
            assert not submitted.is_error, text_of(submitted)
            runs = json.loads(text_of(await c.call_tool("list_runs", {"limit": 5})))
            assert runs[0]["kind"] == "mcp" and runs[0]["status"] == "running"

    anyio.run(session)
    # The question shows what the guard binds the approval to: the target and the form's values.
    assert len(answers.questions) == 1 and "Submit" in answers.questions[0]
    assert "Name: Grace Hopper" in answers.questions[0] and "cannot be undone" in answers.questions[0]
    assert _submitted(qt_form) == {
        "name": "Grace Hopper",
        "email": "grace@example.org",
        "plan": "Enterprise",
        "subscribe": True,
        "seats": 1,
    }
    with RunStore(tmp_path / "runs.db") as store:
        run = store.list_runs(limit=1)[0]
    assert run.kind == "mcp" and run.status == "succeeded"
    assert [s.status for s in run.steps] == ["succeeded"] * 5
    assert all(s.screenshot_path is not None and s.screenshot_path.exists() for s in run.steps)
    approvals = [e.data for e in run.events if e.kind == "approval"]
    assert len(approvals) == 1 and approvals[0]["approved"] is True
    audited = [entry["action"] for entry in AuditLog(tmp_path / "audit.jsonl").tail(50)]
    assert {"set_text", "select_option", "set_checked", "click"} <= set(audited)
    assert AuditLog(tmp_path / "audit.jsonl").verify().ok


def test_without_elicitation_the_approval_queue_answers(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    queue = ApprovalQueue(tmp_path / "approvals.db")
    answered: list[dict[str, object]] = []

    def approve_when_asked() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not answered:
            for waiting in queue.pending():
                answered.append(waiting.request)
                queue.answer(waiting.id, True, digest=str(waiting.request["digest"]))
            time.sleep(0.05)

    async def session() -> None:
        params = stdio_params(desktop, tmp_path, "--apps", QT_APP, "--approval-timeout", "30")
        async with Client(params) as c:  # no elicitation callback: the client cannot be asked
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            assert not (await c.call_tool("fill", {"ref": ref_of(view, "textbox", "Name"), "text": "Ada"})).is_error
            answerer = threading.Thread(target=approve_when_asked)
            answerer.start()
            submitted = await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")})
            answerer.join()
            assert not submitted.is_error, text_of(submitted)

    anyio.run(session)
    assert len(answered) == 1 and answered[0]["action"] == "click" and "Submit" in str(answered[0]["target"])
    assert {"label": "Name", "role": "textbox", "value": "Ada"} in answered[0]["fields"]  # type: ignore[operator]
    assert _submitted(qt_form)["name"] == "Ada"


def test_errors_are_tool_errors_and_the_server_keeps_serving(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    async def session() -> None:
        # No elicitation callback and no queue wait: an irreversible click is refused at once.
        params = stdio_params(desktop, tmp_path, "--apps", QT_APP, "--approval-timeout", "0")
        async with Client(params) as c:
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))

            unknown = await c.call_tool("click", {"ref": "e999"})
            assert unknown.is_error and "No element has the ref 'e999'" in text_of(unknown)

            bad = await c.call_tool("check", {"ref": ref_of(view, "checkbox", "Subscribe"), "on": "maybe"})
            assert bad.is_error and "on" in text_of(bad)

            refused = await c.call_tool("open_app", {"name": "mousepad"})
            assert refused.is_error and "'mousepad' is not in this workflow's apps" in text_of(refused)
            assert "allowed: qt_form.py" in text_of(refused)

            looked = await c.call_tool("snapshot", {"app": "mousepad"})
            assert looked.is_error

            unapproved = await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")})
            assert unapproved.is_error and "Not approved" in text_of(unapproved), text_of(unapproved)
            assert "elicitation" in text_of(unapproved)  # the hint says how to approve

            still = await c.call_tool("fill", {"ref": ref_of(view, "textbox", "Name"), "text": "still here"})
            assert not still.is_error, text_of(still)

    anyio.run(session)
    assert psutil.Process(qt_form.pid).is_running()  # Submit was never pressed
    with RunStore(tmp_path / "runs.db") as store:
        run = store.list_runs(limit=1)[0]
    by_sentence = {s.sentence: s.status for s in run.steps}
    assert by_sentence["open mousepad"] == "blocked"
    assert [status for sentence, status in by_sentence.items() if sentence.startswith("click e")] == [
        "failed",  # the unknown ref
        "blocked",  # Submit, not approved
    ]
    blocked = [e.data for e in run.events if e.kind == "blocked"]
    assert any(e["action"] == "open" and e["target"]["app"] == "mousepad" for e in blocked), blocked
    assert any(e["action"] == "click" and e["target"]["name"] == "Submit" for e in blocked), blocked
    refusals = [e["action"] for e in AuditLog(tmp_path / "audit.jsonl").tail(50)]
    assert "refused open" in refusals and "refused click" in refusals


def test_secrets_are_used_by_name_and_never_returned(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    secret = "s3cret-value-42"
    params = stdio_params(desktop, tmp_path, "--apps", QT_APP, "--secrets", "email")
    params.env = {**(params.env or {}), "DESKHAND_SECRET_EMAIL": secret, "DESKHAND_SECRET_OTHER": "other-value-7"}

    async def session() -> list[str]:
        async with Client(params) as c:
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            email, name = ref_of(view, "textbox", "Email"), ref_of(view, "textbox", "Name")
            filled = await c.call_tool("fill", {"ref": email, "text": "{secret:email}"})
            assert not filled.is_error, text_of(filled)
            texts = [text_of(filled), text_of(await c.call_tool("read", {"ref": email}))]
            texts.append(text_of(await c.call_tool("snapshot", {"app": QT_TITLE})))
            texts.append(text_of(await c.call_tool("fill", {"ref": name, "text": "copy {secret:email}"})))
            texts.append(text_of(await c.call_tool("list_runs", {"limit": 1})))
            undeclared = await c.call_tool("fill", {"ref": name, "text": "{secret:other}"})
            assert undeclared.is_error and "'other'" in text_of(undeclared)
            return texts

    texts = anyio.run(session)
    assert all(secret not in text for text in texts), texts
    assert "{secret:email}" in texts[1]
    assert secret.encode() not in (tmp_path / "audit.jsonl").read_bytes()
    assert secret.encode() not in (tmp_path / "runs.db").read_bytes()
    with RunStore(tmp_path / "runs.db") as store:
        run = store.list_runs(limit=1)[0]
    snapshots = [s.snapshot_path.read_text(encoding="utf-8") for s in run.steps if s.snapshot_path is not None]
    assert snapshots and all(secret not in text for text in snapshots)
    assert any("{secret:email}" in text for text in snapshots)
