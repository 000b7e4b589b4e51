"""The MCP tools: typed, described, each a thin call into the session; deskhand errors become tool errors
with the message and the hint, and the server keeps serving.

Tools are plain functions: the SDK runs them in worker threads, and the session lock keeps the desktop's one
pointer and one focus to a single caller at a time.
"""

# No `from __future__ import annotations` here: the SDK reads the tools' annotations at registration, and
# they name the approval resolver, a local of register_tools.
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from mcp.server.mcpserver import (
    AcceptedElicitation,
    Context,
    Elicit,
    ElicitationResult,
    Image,
    MCPServer,
    Resolve,
)
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from deskhand.errors import ApprovalRejected, DeskhandError, PolicyDenied
from deskhand.policy.rules import ActionKind
from deskhand.surfaces.mcp.approval import question
from deskhand.surfaces.mcp.library import Library
from deskhand.surfaces.mcp.pointer_tools import register_pointer_tools
from deskhand.surfaces.mcp.recording_tools import register_recording_tools
from deskhand.surfaces.mcp.session import McpSession

T = TypeVar("T")
READS = ToolAnnotations(read_only_hint=True, destructive_hint=False)
ACTS = ToolAnnotations(read_only_hint=False, destructive_hint=False)
MAY_DESTROY = ToolAnnotations(read_only_hint=False, destructive_hint=True)

Ref = Annotated[str, Field(description="An element's ref from the latest snapshot, e.g. e4 (the [e4] in brackets).")]


APPROVAL_HINT = (
    "Approve it when your MCP client asks (it needs elicitation support), or answer it in deskhand's approval "
    "queue (approvals.db in deskhand's home) while the call waits (--approval-timeout)."
)
# What a client is told after any other refusal: never a way around it (another tool, a workflow, a flag).
REFUSAL_HINT = (
    "This session's policy does not allow it, and no other tool or workflow can do it instead; only the person "
    "who started `deskhand mcp` decides what the session allows."
)


class Confirm(BaseModel):
    """What the person answers when an irreversible action asks for approval."""

    approve: bool = Field(description="Allow this action, which cannot be undone?")


def tool_error(error: DeskhandError, redact: Callable[[str], str] = lambda text: text) -> ToolError:
    """The error as the client reads it: scrubbed of secrets, and a refusal's hint replaced by one that
    names no way around it."""
    hint = error.hint
    if isinstance(error, ApprovalRejected):
        hint = APPROVAL_HINT
    elif isinstance(error, PolicyDenied):
        hint = REFUSAL_HINT
    text = error.message if not hint else f"{error.message}\nHint: {hint}"
    return ToolError(redact(text))


def scrubbed(redact: Callable[[str], str]) -> Callable[[Callable[[], T]], T]:
    """``guarded(call)``: run ``call``; a deskhand error becomes a tool error the client can read and recover
    from, with every secret the session typed turned back into its placeholder."""

    def guarded(call: Callable[[], T]) -> T:
        try:
            return call()
        except DeskhandError as error:
            raise tool_error(error, redact) from error

    return guarded


def as_json(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, default=str)


def register_tools(server: MCPServer, session: McpSession, library: Library) -> None:
    """Add every deskhand tool to ``server``."""
    guarded = scrubbed(session.redact)

    def ask(kind: ActionKind, ctx: Context, ref: str | None = None, keys: str = "") -> Confirm | Elicit[Confirm]:
        """Ask through elicitation before an irreversible action; no question when none is needed or possible."""
        capabilities = ctx.client_capabilities
        if capabilities is None or capabilities.elicitation is None:
            return Confirm(approve=False)
        request = session.approval_request(kind, ref, keys)
        if request is None:
            return Confirm(approve=False)
        session.approver.expect((kind, ref or keys), request.digest)
        return Elicit(question(request), Confirm)

    def click_approval(ref: str, ctx: Context) -> Confirm | Elicit[Confirm]:
        return ask("click", ctx, ref=ref)

    def press_approval(keys: str, ctx: Context) -> Confirm | Elicit[Confirm]:
        return ask("press", ctx, keys=keys)

    def record_answer(kind: ActionKind, key: str, approval: ElicitationResult[Confirm]) -> None:
        """The person's answer, for the guard to find under the digest they were shown (if they were asked)."""
        approved = isinstance(approval, AcceptedElicitation) and approval.data.approve
        session.approver.settle((kind, key), approved)

    register_pointer_tools(server, session, guarded)
    register_recording_tools(server, session, guarded)

    @server.tool(annotations=READS)
    def list_apps() -> str:
        """The applications on the desktop, their windows, and whether this session may use them."""
        return as_json(guarded(session.list_apps))

    @server.tool(annotations=ACTS)
    def open_app(
        name: Annotated[str, Field(description="App name (mousepad, gnome-calculator…) or a URL to open.")],
    ) -> str:
        """Start an allowed app (or bring it up if running), or open an allowed site; returns its snapshot."""
        return guarded(lambda: session.open_app(name))

    @server.tool(annotations=READS)
    def snapshot(
        app: Annotated[str | None, Field(description="App name or window title; default: every allowed app.")] = None,
        window: Annotated[str | None, Field(description="Only this window of the app (its title).")] = None,
    ) -> str:
        """What is on screen as a compact outline, one element a line, each with a ref like [e4] to act on."""
        return guarded(lambda: session.snapshot(app, window))

    @server.tool(annotations=MAY_DESTROY)
    def click(ref: Ref, approval: Annotated[ElicitationResult[Confirm], Resolve(click_approval)]) -> str:
        """Click an element. Irreversible ones (Submit, Send, Delete…) ask for approval first.
        Returns what changed on screen."""
        record_answer("click", ref, approval)
        return guarded(lambda: session.click(ref))

    @server.tool(annotations=ACTS)
    def fill(
        ref: Ref,
        text: Annotated[
            str, Field(description="The new text; {secret:name} types a secret the session allows, unseen.")
        ],
    ) -> str:
        """Replace a field's text (and check it holds it). Returns what changed on screen."""
        return guarded(lambda: session.fill(ref, text))

    @server.tool(annotations=ACTS)
    def select(ref: Ref, option: Annotated[str, Field(description="The option's visible text.")]) -> str:
        """Pick an option in a combo box or list. Returns what changed on screen."""
        return guarded(lambda: session.select(ref, option))

    @server.tool(annotations=ACTS)
    def check(ref: Ref, on: Annotated[bool, Field(description="true to check, false to uncheck.")] = True) -> str:
        """Check or uncheck a check box or toggle. Returns what changed on screen."""
        return guarded(lambda: session.check(ref, on))

    @server.tool(annotations=MAY_DESTROY)
    def press(
        keys: Annotated[str, Field(description="A key or chord: Enter, Tab, Ctrl+S, Alt+F4.")],
        approval: Annotated[ElicitationResult[Confirm], Resolve(press_approval)],
    ) -> str:
        """Press keys in the focused window (chords that send or delete ask for approval first).
        Returns what changed on screen."""
        record_answer("press", keys, approval)
        return guarded(lambda: session.press(keys))

    @server.tool(annotations=ACTS)
    def scroll(ref: Ref, direction: Literal["up", "down", "left", "right"] = "down") -> str:
        """Scroll inside an element. Returns what changed on screen."""
        return guarded(lambda: session.scroll(ref, direction))

    @server.tool(annotations=READS)
    def read(ref: Ref) -> str:
        """The current text or value of an element."""
        return guarded(lambda: session.read(ref))

    @server.tool(annotations=READS)
    def wait_for(
        text: Annotated[str, Field(description="Text to wait for in the view.")],
        timeout: Annotated[float, Field(ge=0, le=120, description="Seconds to wait at most.")] = 5.0,
    ) -> str:
        """Wait until some text is on screen; returns what changed meanwhile."""
        return guarded(lambda: session.wait_for(text, timeout))

    @server.tool(annotations=READS)
    def screenshot(
        window: Annotated[str | None, Field(description="A window title; default: the whole screen.")] = None,
    ) -> Image:
        """A PNG screenshot of the screen or of one window."""
        return Image(data=guarded(lambda: session.screenshot(window)), format="png")

    @server.tool(annotations=MAY_DESTROY)
    def run_workflow(
        path: Annotated[str, Field(description="The workflow file, relative to the workflows folder.")],
        inputs: Annotated[dict[str, Any] | None, Field(description="The workflow's inputs by name.")] = None,
    ) -> str:
        """Run a deskhand workflow (Markdown) under this session's policy; returns the run's outcome."""
        return guarded(lambda: library.run_workflow(path, inputs or {}))

    @server.tool(annotations=READS)
    def list_workflows(
        folder: Annotated[str | None, Field(description="Another folder of workflows.")] = None,
    ) -> str:
        """The workflows in the workflows folder: path, name, description, apps and inputs."""
        return as_json(guarded(lambda: library.list_workflows(folder)))

    @server.tool(annotations=READS)
    def list_runs(limit: Annotated[int, Field(ge=1, le=200)] = 20) -> str:
        """The newest runs in deskhand's run history (workflow runs and MCP sessions)."""
        return as_json(guarded(lambda: library.list_runs(limit)))

    @server.tool(annotations=READS)
    def get_run(id: Annotated[str, Field(description="A run id such as r-20261125-123456-ab12.")]) -> str:
        """One run with its steps, status, error and screenshot paths."""
        return as_json(guarded(lambda: library.get_run(id)))
