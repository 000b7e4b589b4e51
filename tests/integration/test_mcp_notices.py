"""A workflow run started through MCP tells the owner like a CLI run: its failure notice reaches a loopback
JSON webhook with the run id, the workflow, the step and its sentence."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from tests.integration.test_mcp_support import QT_APP, QT_TITLE, qt_form, server_command, server_env, text_of
from webhook_sink import webhook_sink

from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp

__all__ = ["qt_form"]
pytestmark = pytest.mark.desktop


def test_a_failed_workflow_run_through_mcp_sends_its_notice(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "broken.md").write_text(
        f'---\nname: broken\napps: [{QT_APP}]\n---\n1. Switch to "{QT_TITLE}"\n2. Click "A button nobody made"\n',
        encoding="utf-8",
    )
    home = tmp_path / "home"
    with webhook_sink() as hooks:
        env = server_env(desktop, home, DESKHAND_NOTIFY=f"json://127.0.0.1:{hooks.port}/notice")
        command = server_command("--desktop", "current", "--timeout", "3", "--apps", QT_APP, "--workflows", str(flows))
        params = StdioServerParameters(command=command[0], args=command[1:], env=env)

        async def session() -> str:
            async with Client(params) as c:
                ran = await c.call_tool("run_workflow", {"path": "broken.md"})
                assert ran.is_error, text_of(ran)
                return text_of(ran)

        said = anyio.run(session)
        [posted] = hooks.wait_for(1, timeout=30)
    assert "broken" in said and "failed at step 2" in said, said
    with RunStore(home / "runs.db") as store:
        run = next(r for r in store.list_runs(limit=5) if r.workflow_name == "broken")
    assert run.status == "failed"
    lines = posted["message"].splitlines()
    assert f"Run: {run.run_id}" in lines and "Workflow: broken" in lines, posted
    assert any(line.startswith("Step: 2") for line in lines) and "A button nobody made" in posted["message"]
    assert posted["title"] == "deskhand: broken failed at step 2"
