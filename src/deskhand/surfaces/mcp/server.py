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
from deskhand.app.notify import EXIT_WAIT_S, WaitingNotices, session_notifier
from deskhand.app.session import PolicyLauncher, approvals_path, stop_dir
from deskhand.backends.base import Backend
from deskhand.locate.desktop import Desktop
from deskhand.notices.notifier import Notifier
from deskhand.policy.approval import Approver
from deskhand.policy.approval_queue import ApprovalQueue, QueueApprover
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.killswitch import KillSwitch
from deskhand.policy.rules import Policy
from deskhand.policy.secrets import Redactor, SecretStore
from deskhand.runs.audit import AuditLog
from deskhand.runs.intents import IntentLog
from deskhand.runs.store import RunStore
from deskhand.sandbox.starters import AppStarter
from deskhand.surfaces.mcp.approval import ElicitationApprover
from deskhand.surfaces.mcp.auth import BearerAuth
from deskhand.surfaces.mcp.library import Library
from deskhand.surfaces.mcp.session import McpSession
from deskhand.surfaces.mcp.tools import register_tools

INSTRUCTIONS = """deskhand operates Linux desktop apps through their accessibility interfaces.
Call snapshot to see an app as an outline with refs like [e4], then act on refs with click, fill, select,
check, press or scroll; each acting tool returns what changed on screen, so a new snapshot is rarely needed.
Only the apps, sites and secrets this session allows can be used; irreversible actions ask the user first.
Write {secret:name} in fill to use a stored secret without ever seeing it."""


@dataclass(frozen=True)
class McpOptions:
    """What `deskhand mcp` was started with."""

    policy: Policy = field(default_factory=Policy)
    desktop: DesktopChoice = "auto"
    # The only folders run_workflow and list_workflows may touch.
    workflows: tuple[Path, ...] = field(default_factory=lambda: (Path.cwd(),))
    timeout: float = 10.0
    capture: bool = True
    # Seconds an approval waits in the queue when the client cannot be asked (0: refuse at once).
    approval_timeout: float = 60.0


def queue_approver(options: McpOptions, kill: KillSwitch) -> Approver | None:
    """The approval queue (answered from the web page or `deskhand`), unless the wait is switched off."""
    if options.approval_timeout <= 0:
        return None
    queue = ApprovalQueue(approvals_path())
    return QueueApprover(queue, timeout=options.approval_timeout, should_stop=lambda: kill.requested)


@dataclass
class McpRuntime:
    """A served session and everything it holds open."""

    server: MCPServer
    session: McpSession
    library: Library
    notifier: Notifier | None = None
    intents: IntentLog | None = None


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
    starter: AppStarter | None,
    store: RunStore,
    redactor: Redactor,
    options: McpOptions,
    audit: AuditLog | None = None,
    fallback: Approver | None = None,
) -> McpRuntime:
    """The session and its server over ``backend`` (guarded here); ``starter`` is where apps start (the
    desktop we own, a `deskhand desktop up` desktop, or the person's own), if anywhere.

    ``store`` must redact with ``redactor``; ``fallback`` answers approvals elicitation did not (default: the
    approval queue)."""
    # `deskhand stop` files on this machine, and `deskhand fleet stop` in the store (the fleet's red button
    # stops an assistant's actions too).
    kill = KillSwitch(stop_dir(), fleet=store.fleet_stop_reason)
    # Runs started through MCP tell the owner like CLI runs: failed, blocked, healed, waiting in the queue.
    notifier = session_notifier(store, redactor)
    queued = fallback if fallback is not None else queue_approver(options, kill)
    waiting = WaitingNotices(queued, notifier) if isinstance(queued, QueueApprover) else None
    approver = ElicitationApprover(waiting or queued)
    intents = IntentLog(store.path)
    guard = Guard(
        policy=options.policy,
        approver=approver,
        redactor=redactor,
        store=SecretStore(),
        kill=kill,
        audit=audit or AuditLog(),
        events=store,
        intents=intents,
    )
    guarded = GuardedBackend(backend, guard)
    desktop = Desktop(guarded, timeout=options.timeout)
    launcher = PolicyLauncher(DesktopLauncher(desktop, starter), guarded)
    session = McpSession(desktop, guarded, store, approver, launcher, capture=options.capture)
    library = Library(session, options.workflows, timeout=options.timeout, notifier=notifier, waiting=waiting)
    return McpRuntime(build_server(session, library), session, library, notifier, intents)


@contextmanager
def open_mcp(options: McpOptions) -> Iterator[McpRuntime]:
    """Start (or join) the desktop and open the session's run; closes both on the way out."""
    redactor = Redactor()
    store = RunStore(redact=redactor)
    try:
        desktop_session = open_desktop(options.desktop, timeout=options.timeout)
    except BaseException:
        store.close()
        raise
    try:
        runtime = build_runtime(desktop_session.desktop.backend, desktop_session.starter, store, redactor, options)
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
            if runtime.notifier is not None:
                runtime.notifier.wait(EXIT_WAIT_S)
            if runtime.intents is not None:
                runtime.intents.close()
    finally:
        desktop_session.close()
        store.close()


def serve_stdio(runtime: McpRuntime) -> None:
    runtime.server.run("stdio")


def serve_http(runtime: McpRuntime, *, host: str, port: int, token: str, path: str = "/mcp") -> None:
    app = BearerAuth(runtime.server.streamable_http_app(streamable_http_path=path, host=host), token)
    uvicorn.run(app, host=host, port=port, log_level="warning")
