# No `from __future__ import annotations` here: the SDK reads the tools' annotations at registration.
"""MCP tools that record the session's own acting calls as a workflow (surfaces/mcp/recording.py)."""

from collections.abc import Callable
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from deskhand.errors import DeskhandError
from deskhand.surfaces.mcp.recording import ToolRecording
from deskhand.surfaces.mcp.session import McpSession

# They change what the session keeps, never the desktop.
KEEPS = ToolAnnotations(read_only_hint=True, destructive_hint=False)


Guarded = Callable[[Callable[[], str]], str]


def register_recording_tools(server: MCPServer, session: McpSession, guarded: Guarded) -> None:
    @server.tool(annotations=KEEPS)
    def record_start(
        name: Annotated[str, Field(description="The workflow's name (its file's front matter).")] = "recorded",
    ) -> str:
        """Start recording: from now on every open_app, fill, select, check, click, press and wait_for of this
        session that succeeds becomes a step of a workflow; record_stop returns it."""
        return guarded(lambda: _start(session, name))

    @server.tool(annotations=KEEPS)
    def record_stop() -> str:
        """Stop recording and return the workflow (Markdown, the step language) of what was done since
        record_start: save it as a .md file and `deskhand run` it, no model needed."""
        return guarded(lambda: _stop(session))


def _start(session: McpSession, name: str) -> str:
    with session.lock:
        if session.recording is not None:
            raise DeskhandError("A recording is already running.", hint="Call record_stop first.")
        session.recording = ToolRecording(session.desktop, name)
    return "Recording. Every acting call that succeeds is a step from now on; record_stop returns the workflow."


def _stop(session: McpSession) -> str:
    with session.lock:
        recording, session.recording = session.recording, None
    if recording is None:
        raise DeskhandError("Nothing is being recorded.", hint="Call record_start first.")
    return session.redact(recording.text())
