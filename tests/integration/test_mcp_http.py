"""`deskhand mcp --transport http`: streamable HTTP on 127.0.0.1 behind a bearer token, driven by the official
MCP client SDK: a wrong token is refused with a reason, the right one acts on the Qt form, an irreversible
click is approved through elicitation, and an example workflow runs under the session policy."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import psutil
import pytest
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError
from tests.fixtures.listening import listens
from tests.integration.test_mcp_support import (
    QT_APP,
    QT_TITLE,
    ElicitationAnswers,
    ref_of,
    server_command,
    server_env,
    text_of,
)

from deskhand.sandbox import VirtualDesktop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

TOKEN = "test-token-0123456789"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "workflows"
ZENITY_FORM = [
    "zenity",
    "--forms",
    "--title",
    "Add contact",
    "--text",
    "Add a new contact.",
    "--add-entry",
    "Name",
    "--add-entry",
    "Email",
    "--add-combo",
    "Plan",
    "--combo-values",
    "Basic|Pro|Enterprise",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def http_server(desktop: VirtualDesktop, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    # A copy: running a workflow writes its lock beside it, and tests must not write into the repository.
    workflows = tmp_path / "workflows"
    shutil.copytree(EXAMPLES, workflows)
    command = server_command(
        "--transport", "http", "--port", str(port), "--desktop", "current", "--timeout", "5",
        "--apps", QT_APP, "--apps", "zenity", "--workflows", str(workflows),
    )  # fmt: skip
    env = server_env(desktop, tmp_path, DESKHAND_MCP_TOKEN=TOKEN)
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        # The server process itself must listen there: the port was picked free before it started, and another
        # process may have taken it since (a bare connect would then reach that one).
        while not listens(server.pid, port):
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the HTTP server did not come up"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def _client(url: str, token: str, answers: ElicitationAnswers | None = None) -> Client:
    transport = streamable_http_client(url, http_client=create_mcp_http_client({"Authorization": f"Bearer {token}"}))
    return Client(transport, elicitation_callback=answers)


def test_wrong_token_is_refused_and_the_right_one_acts(
    http_server: str, desktop: VirtualDesktop, qt_form_command: list[str]
) -> None:
    refused = httpx.post(http_server, json={}, headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401 and "wrong bearer token" in refused.json()["message"]
    assert httpx.post(http_server, json={}).json()["message"].endswith("no bearer token.")

    async def wrong_token() -> None:
        async with _client(http_server, "nope") as c:
            await c.list_tools()

    # The SDK turns the 401 into an MCP error raised inside its task groups: the groups must hold that error
    # (and nothing else), so a crash of another kind is not taken for the refusal.
    with pytest.raises(BaseExceptionGroup) as caught:
        anyio.run(wrong_token)
    assert caught.group_contains(MCPError, match="error response", depth=None), repr(caught.value)
    _, others = caught.value.split(MCPError)
    assert others is None, repr(others)

    form = desktop.launch(qt_form_command, timeout=30)
    answers = ElicitationAnswers("accept")
    try:

        async def session() -> None:
            async with _client(http_server, TOKEN, answers) as c:
                view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
                filled = await c.call_tool("fill", {"ref": ref_of(view, "textbox", "Name"), "text": "Ada"})
                assert not filled.is_error and '= "Ada"' in text_of(filled)
                clicked = await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")})
                assert not clicked.is_error, text_of(clicked)

        anyio.run(session)
        psutil.Process(form.pid).wait(10)
        assert json.loads(form.log_path.read_text(encoding="utf-8").splitlines()[-1])["name"] == "Ada"
        assert len(answers.questions) == 1 and "Submit" in answers.questions[0]
    finally:
        desktop.stop_app(form)


def test_an_example_workflow_runs_under_the_session_policy(http_server: str, desktop: VirtualDesktop) -> None:
    zenity = desktop.launch(ZENITY_FORM, timeout=30)
    try:

        async def session() -> None:
            async with _client(http_server, TOKEN) as c:
                listed = json.loads(text_of(await c.call_tool("list_workflows", {})))
                assert "zenity-form" in {w["name"] for w in listed}
                calculator = await c.call_tool("run_workflow", {"path": "calculator-multiply.md"})
                assert calculator.is_error and "'gnome-calculator'" in text_of(calculator)
                ran = await c.call_tool("run_workflow", {"path": "zenity-form.md", "inputs": {"name": "Ada"}})
                assert not ran.is_error, text_of(ran)
                outcome = json.loads(text_of(ran))
                assert outcome["status"] == "succeeded"
                run = json.loads(text_of(await c.call_tool("get_run", {"id": outcome["run_id"]})))
                assert run["workflow"] == "zenity-form" and len(run["steps"]) == 6

        anyio.run(session)
        psutil.Process(zenity.pid).wait(10)
        assert "Ada|ada@example.com|Pro" in zenity.log_path.read_text(encoding="utf-8")
    finally:
        desktop.stop_app(zenity)
