"""Putting an MCP server together: desktop, guarded backend, run store, session, tools; serving it over
stdio or streamable HTTP (127.0.0.1 and a bearer token by default)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from mcp.server.mcpserver import MCPServer

from deskhand import __version__
from deskhand.app.compose import DesktopChoice, open_desktop
from deskhand.app.launcher import DesktopLauncher
from deskhand.app.session import env_secret
from deskhand.backends.base import Backend
from deskhand.locate.desktop import Desktop
from deskhand.runs.audit import AuditLog
from deskhand.runs.store import RunStore
from deskhand.sandbox.desktop import VirtualDesktop
from deskhand.surfaces.mcp.approval import Approver, SessionApprover
from deskhand.surfaces.mcp.auth import BearerAuth
from deskhand.surfaces.mcp.guarded import AuditContext, GuardedBackend
from deskhand.surfaces.mcp.library import Library
from deskhand.surfaces.mcp.policy import SessionPolicy
from deskhand.surfaces.mcp.secrets import SecretBook
from deskhand.surfaces.mcp.session import McpSession
from deskhand.surfaces.mcp.tools import register_tools

INSTRUCTIONS = """deskhand operates Linux desktop apps through their accessibility interfaces.
Call snapshot to see an app as an outline with refs like [e4], then act on refs with click, fill, select,
check, press or scroll; each acting tool returns what changed on screen, so a new snapshot is rarely needed.
Only the apps and sites this session allows can be used; irreversible clicks ask the user first.
Write {secret:name} in fill to use a stored secret without ever seeing it."""


@dataclass(frozen=True)
class McpOptions:
    """What `deskhand mcp` was started with."""

    policy: SessionPolicy = field(default_factory=SessionPolicy)
    desktop: DesktopChoice = "auto"
    workflows: Path = field(default_factory=Path.cwd)
    timeout: float = 10.0
    capture: bool = True
    fallback_approver: Approver | None = None


@dataclass
class McpRuntime:
    """A served session and everything it holds open."""

    server: MCPServer
    session: McpSession
    library: Library


def build_server(session: McpSession, library: Library) -> MCPServer:
    server: MCPServer = MCPServer(
        "deskhand",
        title="deskhand",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )
    register_tools(server, session, library)
    return server


def build_runtime(
    backend: Backend,
    virtual: VirtualDesktop | None,
    store: RunStore,
    secrets: SecretBook,
    options: McpOptions,
    audit: AuditLog | None = None,
) -> McpRuntime:
    """The session and its server over ``backend`` (guarded here); ``virtual`` is the desktop we own, if any."""
    approver = SessionApprover(options.fallback_approver)
    guard = GuardedBackend(backend, options.policy, approver, audit or AuditLog(), AuditContext(), secrets.redact)
    desktop = Desktop(guard, timeout=options.timeout)
    launcher = DesktopLauncher(desktop, virtual)
    session = McpSession(desktop, guard, store, options.policy, approver, secrets, launcher, capture=options.capture)
    library = Library(session, options.workflows, timeout=options.timeout)
    return McpRuntime(build_server(session, library), session, library)


@contextmanager
def open_mcp(options: McpOptions) -> Iterator[McpRuntime]:
    """Start (or join) the desktop and open the session's run; closes both on the way out."""
    secrets = SecretBook(env_secret)
    store = RunStore(redact=secrets.redact)
    try:
        desktop_session = open_desktop(options.desktop, timeout=options.timeout)
    except BaseException:
        store.close()
        raise
    try:
        runtime = build_runtime(desktop_session.desktop.backend, desktop_session.virtual, store, secrets, options)
        status = "succeeded"
        try:
            yield runtime
        except KeyboardInterrupt:
            status = "stopped"
            raise
        except BaseException:
            status = "failed"
            raise
        finally:
            runtime.session.close(status)
    finally:
        desktop_session.close()
        store.close()


def serve_stdio(runtime: McpRuntime) -> None:
    runtime.server.run("stdio")


def serve_http(runtime: McpRuntime, *, host: str, port: int, token: str, path: str = "/mcp") -> None:
    app = BearerAuth(runtime.server.streamable_http_app(streamable_http_path=path, host=host), token)
    uvicorn.run(app, host=host, port=port, log_level="warning")
