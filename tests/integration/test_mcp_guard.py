"""An MCP client cannot author its own authority, nor read a secret a page copied (issue 18, classes 4 and 5).

Over the real MCP client SDK and `deskhand mcp` on a test desktop: workflow paths are confined to the
configured folders (absolute paths, ``..`` and a symlink out are refused, recorded as blocked and audited),
a workflow's own ``preapproved:`` does not skip the approval the session would ask for, and no refusal's
hint points at a way around it. A page that copies its password field into its window title does not get
the secret into list_apps, tool errors or `deskhand apps`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import anyio
import psutil
import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from tests.injection.fixtures import sites
from tests.injection.site import Site
from tests.integration.served_chromium import launch_served_chromium
from tests.integration.test_mcp_support import (
    QT_APP,
    QT_TITLE,
    ElicitationAnswers,
    qt_form,
    ref_of,
    server_command,
    server_env,
    text_of,
)

from deskhand.backends.browser.flags import READER_FLAGS
from deskhand.runs.audit import AuditLog
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp

__all__ = ["qt_form", "sites"]
pytestmark = [pytest.mark.desktop, pytest.mark.slow]

SUBMIT = f'---\nname: NAME\napps: [{QT_APP}]\npreapproved: [1]\n---\n\n1. Click "Submit"\n'
AROUND = ("preapproved", "workflow that", "--apps", "restart")  # ways around a refusal a hint must not name


def params(desktop: VirtualDesktop, home: Path, *args: str, **env: str) -> StdioServerParameters:
    command = server_command("--desktop", "current", "--timeout", "5", "--approval-timeout", "0", *args)
    return StdioServerParameters(command=command[0], args=command[1:], env=server_env(desktop, home, **env))


def test_workflow_paths_are_confined_and_a_workflow_gets_no_more_than_the_session(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    home, flows, outside = tmp_path / "home", tmp_path / "flows", tmp_path / "outside"
    for folder in (home, flows, outside):
        folder.mkdir()
    (outside / "evil.md").write_text(SUBMIT.replace("NAME", "evil"))
    (flows / "inside.md").write_text(SUBMIT.replace("NAME", "inside"))
    (flows / "link.md").symlink_to(outside / "evil.md")
    (flows / "up").symlink_to(outside, target_is_directory=True)

    async def session() -> dict[str, str]:
        said: dict[str, str] = {}
        async with Client(params(desktop, home, "--apps", QT_APP, "--workflows", str(flows))) as c:
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            for path in (str(outside / "evil.md"), "../outside/evil.md", "link.md", "up/evil.md"):
                ran = await c.call_tool("run_workflow", {"path": path})
                assert ran.is_error, text_of(ran)
                said[path] = text_of(ran)
            for folder in (str(outside), "..", "up"):
                listed = await c.call_tool("list_workflows", {"folder": folder})
                assert listed.is_error, text_of(listed)
                said[f"list {folder}"] = text_of(listed)
            said["list"] = text_of(await c.call_tool("list_workflows", {}))
            said["click"] = text_of(await c.call_tool("click", {"ref": ref_of(view, "button", "Submit")}))
            said["inside"] = text_of(await c.call_tool("run_workflow", {"path": "inside.md"}))
        return said

    said = anyio.run(session)
    for key in (str(outside / "evil.md"), "../outside/evil.md", "link.md", "up/evil.md", f"list {outside}", "list .."):
        assert "outside the workflows folders" in said[key], said[key]
    assert '"inside.md"' in said["list"] and "evil" not in said["list"], said["list"]
    assert "Not approved" in said["click"], said["click"]
    # The workflow's own preapproved: did not skip the approval the session asks for.
    assert "blocked" in said["inside"] and "not approved" in said["inside"].casefold(), said["inside"]
    for text in said.values():
        assert not [way for way in AROUND if way in text.casefold()], text
    assert psutil.Process(qt_form.pid).is_running()  # Submit was never pressed

    with RunStore(home / "runs.db") as store:
        runs = store.list_runs(limit=5)
    mcp = next(r for r in runs if r.kind == "mcp")
    blocked = [e.data for e in mcp.events if e.kind == "blocked"]
    refused_paths = {e["target"].get("path") for e in blocked if e["action"] in ("run_workflow", "list_workflows")}
    assert {str(outside / "evil.md"), "../outside/evil.md", "link.md", "up/evil.md", ".."} <= refused_paths
    assert all("outside the workflows folders" in e["reason"] for e in blocked if e["action"] == "run_workflow")
    assert [s.status for s in mcp.steps if s.sentence == "run workflow link.md"] == ["blocked"]
    inside = next(r for r in runs if r.workflow_name == "inside")
    assert [s.status for s in inside.steps] == ["blocked"] and inside.status == "failed"
    audited = [e for e in AuditLog(home / "audit.jsonl").tail(100) if e["action"] == "refused run_workflow"]
    assert {e["target"]["path"] for e in audited} >= {"link.md", "../outside/evil.md"}
    assert all("outside the workflows folders" in str(e["value"]) for e in audited)


PASSWORD = "pw-55e1-canary"


def test_a_secret_a_page_copies_into_its_title_never_leaves(
    desktop: VirtualDesktop, sites: tuple[Site, Site], tmp_path: Path
) -> None:
    allowed, _ = sites
    browser, _ = launch_served_chromium(desktop, allowed.url("title-echo.html"), extra_args=READER_FLAGS)
    server = params(
        desktop, tmp_path, "--apps", "chromium", "--sites", allowed.base, "--secrets", "pw", DESKHAND_SECRET_PW=PASSWORD
    )

    async def session() -> list[str]:
        texts: list[str] = []
        async with Client(server) as c:
            view = ""
            for _ in range(100):
                view = text_of(await c.call_tool("snapshot", {"app": "Chromium"}))
                if '"Password"' in view:
                    break
                await anyio.sleep(0.1)
            filled = await c.call_tool("fill", {"ref": ref_of(view, "textbox", "Password"), "text": "{secret:pw}"})
            assert not filled.is_error, text_of(filled)
            texts.append(text_of(filled))
            deadline = time.monotonic() + 10
            while True:
                texts.append(text_of(await c.call_tool("list_apps", {})))
                if "Signed in as" in texts[-1] or time.monotonic() > deadline:
                    break
            assert "Signed in as {secret:pw}" in texts[-1], texts[-1]  # the title, masked
            for call, arguments in (
                ("screenshot", {"window": "no such window"}),  # the error lists the window titles
                ("snapshot", {"app": "Chromium", "window": "no such window"}),
                ("snapshot", {"app": "no such app"}),
                ("wait_for", {"text": "never shown", "timeout": 0.5}),
            ):
                result = await c.call_tool(call, arguments)
                assert result.is_error
                texts.append(text_of(result))
            assert "Signed in as {secret:pw}" in texts[-4], texts[-4]
        return texts

    try:
        texts = anyio.run(session)
        listed = subprocess.run(
            [sys.executable, "-m", "deskhand", "apps"],
            env={**server_env(desktop, tmp_path), "DESKHAND_SECRET_PW": PASSWORD},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        desktop.stop_app(browser)
    assert listed.returncode == 0, listed.stderr
    assert "Signed in as {secret:pw}" in listed.stdout, listed.stdout
    leaked = [text for text in [*texts, listed.stdout, listed.stderr] if PASSWORD in text]
    assert leaked == []


def test_over_mcp_a_forms_destination_is_judged_and_the_question_shows_what_is_sent(
    desktop: VirtualDesktop, sites: tuple[Site, Site], tmp_path: Path
) -> None:
    allowed, partner = sites
    before = (len(allowed.posts), len(partner.requests))
    browser, _ = launch_served_chromium(desktop, allowed.url("offsite-form.html"), extra_args=READER_FLAGS)
    answers = ElicitationAnswers("accept", "accept")

    async def session() -> tuple[str, str]:
        server = params(desktop, tmp_path, "--apps", "chromium", "--sites", allowed.base)
        async with Client(server, elicitation_callback=answers) as c:
            view = ""
            for _ in range(100):
                view = text_of(await c.call_tool("snapshot", {"app": "Chromium"}))
                if '"Continue"' in view:
                    break
                await anyio.sleep(0.1)
            off_list = await c.call_tool("click", {"ref": ref_of(view, "button", "Continue")})
            assert off_list.is_error
            local = await c.call_tool("click", {"ref": ref_of(view, "button", "Next")})
            assert not local.is_error, text_of(local)
            return text_of(off_list), text_of(local)

    try:
        refused, _ = anyio.run(session)
        deadline = time.monotonic() + 5
        while len(allowed.posts) == before[0] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        desktop.stop_app(browser)
    assert f"{partner.base}/collect is not in this workflow's sites" in refused, refused
    assert not [way for way in AROUND if way in refused.casefold()], refused
    # Only the local POST asked (a button named "Next", judged by its effect), showing what it sends.
    assert len(answers.questions) == 1, answers.questions
    assert f"It sends (POST to {allowed.base}/collect)" in answers.questions[0] and "nick=ada" in answers.questions[0]
    assert len(partner.requests) == before[1]
    assert allowed.posts[-1][1:] == ("/collect", "nick=ada")


def test_the_fleets_stop_stops_an_assistants_actions_until_it_is_lifted(
    desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    """`deskhand fleet stop` is the red button for everything the store's deskhand does: an MCP session's
    next action is refused naming the stop, and goes through once the stop is lifted."""
    home = tmp_path / "home"
    home.mkdir()

    def fleet(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "deskhand", "fleet", *args],
            env=server_env(desktop, home),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    async def session() -> dict[str, str]:
        said: dict[str, str] = {}
        async with Client(params(desktop, home, "--apps", QT_APP)) as c:
            view = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
            name = ref_of(view, "textbox", "Name")
            fleet("stop", "--reason", "month-end audit")
            refused = await c.call_tool("fill", {"ref": name, "text": "during the stop"})
            assert refused.is_error, text_of(refused)
            said["refused"] = text_of(refused)
            fleet("resume")
            filled = await c.call_tool("fill", {"ref": name, "text": "after the stop"})
            assert not filled.is_error, text_of(filled)
            said["shown"] = text_of(await c.call_tool("snapshot", {"app": QT_TITLE}))
        return said

    said = anyio.run(session)
    assert "month-end audit" in said["refused"], said["refused"]
    assert "after the stop" in said["shown"] and "during the stop" not in said["shown"], said["shown"]
