"""`deskhand mcp` over stdio, driven by the official MCP client SDK, acting on the real Qt form on a virtual
desktop: fill and submit it (the irreversible Submit approved through elicitation), and the errors a client
can run into, each a clear tool error with the server still serving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import anyio
import psutil
import pytest
from mcp.client.client import Client
from tests.integration.test_mcp_support import QT_TITLE, ElicitationAnswers, ref_of, stdio_params, text_of

from deskhand.runs.audit import AuditLog
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp

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


@pytest.fixture
def qt_form(desktop: VirtualDesktop, qt_form_command: list[str]) -> Iterator[LaunchedApp]:
    app = desktop.launch(qt_form_command, timeout=30)
    try:
        yield app
    finally:
        desktop.stop_app(app)


def test_fill_and_submit_the_qt_form(desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path) -> None:
    answers = ElicitationAnswers("accept")

    async def session() -> None:
        async with Client(stdio_params(desktop, tmp_path, "--apps", QT_TITLE), elicitation_callback=answers) as c:
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
            assert "checked" in text_of(checked), text_of(checked)
            assert text_of(await c.call_tool("read", {"ref": name})) == "Grace Hopper"

            submitted = await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")})
            assert not submitted.is_error, text_of(submitted)
            runs = json.loads(text_of(await c.call_tool("list_runs", {"limit": 5})))
            assert runs[0]["kind"] == "mcp" and runs[0]["status"] == "running"

    anyio.run(session)
    assert len(answers.questions) == 1 and "Submit" in answers.questions[0]
    psutil.Process(qt_form.pid).wait(10)
    printed = json.loads(qt_form.log_path.read_text(encoding="utf-8").splitlines()[-1])
    assert printed == {
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
    audited = [entry["action"] for entry in AuditLog(tmp_path / "audit.jsonl").tail(50)]
    assert {"set_text", "select", "check", "approval-granted", "click"} <= set(audited)
    assert AuditLog(tmp_path / "audit.jsonl").verify().ok


def test_errors_are_tool_errors_and_the_server_keeps_serving(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    async def session() -> None:
        # No elicitation callback: this client cannot be asked, so an irreversible click is refused.
        async with Client(stdio_params(desktop, tmp_path, "--apps", QT_TITLE)) as c:
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))

            unknown = await c.call_tool("click", {"ref": "e999"})
            assert unknown.is_error and "No element has the ref 'e999'" in text_of(unknown)

            bad = await c.call_tool("check", {"ref": ref_of(view, "checkbox", "Subscribe"), "on": "maybe"})
            assert bad.is_error and "on" in text_of(bad)

            refused = await c.call_tool("open_app", {"name": "mousepad"})
            assert refused.is_error and "'mousepad' is not an allowed app" in text_of(refused)
            assert "--apps" in text_of(refused)  # the hint says how to allow it

            unapproved = await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")})
            assert unapproved.is_error and "cannot be undone and was not approved" in text_of(unapproved)

            still = await c.call_tool("fill", {"ref": ref_of(view, "textbox", "Name"), "text": "still here"})
            assert not still.is_error, text_of(still)

    anyio.run(session)
    assert psutil.Process(qt_form.pid).is_running()  # Submit was never pressed


def test_secrets_are_used_by_name_and_never_returned(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cret-value-42"
    params = stdio_params(desktop, tmp_path, "--apps", QT_TITLE)
    params.env = {**(params.env or {}), "DESKHAND_SECRET_EMAIL": secret}

    async def session() -> list[str]:
        async with Client(params) as c:
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            email = ref_of(view, "textbox", "Email")
            texts = [text_of(await c.call_tool("fill", {"ref": email, "text": "{secret:email}"}))]
            texts.append(text_of(await c.call_tool("read", {"ref": email})))
            texts.append(text_of(await c.call_tool("snapshot", {"app": QT_TITLE})))
            return texts

    texts = anyio.run(session)
    assert all(secret not in text for text in texts)
    assert "{secret:email}" in texts[1]
    assert secret not in (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
