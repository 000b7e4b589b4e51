"""Shared pieces of the MCP integration tests (no tests here): starting `deskhand mcp` on a test desktop, refs."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp.client.session import ClientRequestContext
from mcp.client.stdio import StdioServerParameters

from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from mcp import types as mcp_types

QT_TITLE = "deskhand Qt form"
QT_APP = "qt_form.py"  # the name the Qt form's process shows on the accessibility bus


@pytest.fixture
def qt_form(desktop: VirtualDesktop, qt_form_command: list[str]) -> Iterator[LaunchedApp]:
    """The Qt form (tests/apps/qt_form.py) on the test desktop, stopped after the test; a test module
    imports it to use it."""
    app = desktop.launch(qt_form_command, timeout=30)
    try:
        yield app
    finally:
        desktop.stop_app(app)


def server_command(*args: str) -> list[str]:
    """`deskhand mcp ARGS` as a command line that does not depend on the CLI's registration."""
    return [sys.executable, "-m", "deskhand.surfaces.mcp", *args]


def server_env(virtual: VirtualDesktop, home: Path, **extra: str) -> dict[str, str]:
    """The test desktop as the server's current desktop; a home of the test's own for runs and audit."""
    return {**virtual.env, "DESKHAND_HOME": str(home), **extra}


def stdio_params(virtual: VirtualDesktop, home: Path, *args: str) -> StdioServerParameters:
    command = server_command("--desktop", "current", "--timeout", "5", *args)
    return StdioServerParameters(command=command[0], args=command[1:], env=server_env(virtual, home))


def ref_of(snapshot: str, role: str, name: str) -> str:
    """The ref (e4) of the line ``role "name…" [e4]`` in a compact snapshot."""
    found = re.search(rf'^\s*- {re.escape(role)} "{re.escape(name)}[^"]*" \[(e\d+)\]', snapshot, re.MULTILINE)
    assert found, f"no {role} {name!r} in:\n{snapshot}"
    return found.group(1)


def text_of(result: mcp_types.CallToolResult) -> str:
    return "\n".join(part.text for part in result.content if isinstance(part, mcp_types.TextContent))


class ElicitationAnswers:
    """An elicitation callback that answers from a list and remembers the questions."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    async def __call__(self, ctx: ClientRequestContext, params: Any) -> mcp_types.ElicitResult:
        self.questions.append(params.message)
        action = self.answers.pop(0) if self.answers else "decline"
        content = {"approve": True} if action == "accept" else None
        return mcp_types.ElicitResult(action=action, content=content)
