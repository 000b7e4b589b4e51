# No `from __future__ import annotations` here: the SDK reads the tools' annotations at registration.
"""MCP tools for the pointer and windows: double- and right-click, drag, click at a point, scroll by an
amount, window control. Each is one step of the session's run, goes through the guard's seams (judged like
any input; closing a window asks first, through elicitation) and returns the snapshot diff."""

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from deskhand.locate.windows import WindowHandle, pointer_of
from deskhand.surfaces.mcp.session import McpSession

T = TypeVar("T")
ACTS = ToolAnnotations(read_only_hint=False, destructive_hint=False)
MAY_DESTROY = ToolAnnotations(read_only_hint=False, destructive_hint=True)
Ref = Annotated[str, Field(description="An element's ref from the latest snapshot, e.g. e12.")]
WindowAction = Literal["focus", "raise", "minimize", "close", "move", "resize"]


def register_pointer_tools(server: MCPServer, session: McpSession, guarded: Callable[[Callable[[], str]], str]) -> None:
    desktop = session.desktop

    @server.tool(annotations=ACTS)
    def double_click(ref: Ref) -> str:
        """Double-click an element (open a file, select a word). Returns what changed on screen."""
        return guarded(lambda: session.act_on(f"double-click {ref}", [ref], lambda r: _click(r[0], "left", 2)))

    @server.tool(annotations=ACTS)
    def right_click(ref: Ref) -> str:
        """Right-click an element (opens its context menu). Returns what changed on screen."""
        return guarded(lambda: session.act_on(f"right-click {ref}", [ref], lambda r: _click(r[0], "right", 1)))

    def _click(backend_ref: str, button: Literal["left", "right"], count: int) -> None:
        desktop.backend.click(backend_ref, button=button, count=count)

    @server.tool(annotations=ACTS)
    def drag(from_ref: Ref, to_ref: Ref) -> str:
        """Drag one element onto another with the mouse (move an item between lists, drop a file)."""
        return guarded(
            lambda: session.act_on(
                f"drag {from_ref} to {to_ref}", [from_ref, to_ref], lambda r: pointer_of(desktop).drag(r[0], r[1])
            )
        )

    @server.tool(annotations=ACTS)
    def click_at(
        ref: Ref,
        x: Annotated[int, Field(ge=0, description="Pixels from the element's left edge.")],
        y: Annotated[int, Field(ge=0, description="Pixels from the element's top edge.")],
    ) -> str:
        """Click a point inside an element (a canvas, a map, an image)."""
        return guarded(
            lambda: session.act_on(
                f"click at {x}, {y} in {ref}", [ref], lambda r: pointer_of(desktop).click_at(r[0], x, y)
            )
        )

    @server.tool(annotations=ACTS)
    def scroll_by(
        ref: Ref,
        direction: Literal["up", "down", "left", "right"] = "down",
        amount: Annotated[int, Field(ge=1, le=50, description="Wheel steps.")] = 3,
    ) -> str:
        """Scroll inside an element by a number of wheel steps. Returns what changed on screen."""
        return guarded(
            lambda: session.act_on(
                f"scroll {direction} {amount} in {ref}",
                [ref],
                lambda r: desktop.backend.scroll(r[0], direction, amount),
            )
        )

    @server.tool(annotations=MAY_DESTROY)
    def window(
        title: Annotated[str, Field(description="The window's title (or part of it).")],
        action: WindowAction,
        x: Annotated[int, Field(description="move: left edge; resize: width.")] = 0,
        y: Annotated[int, Field(description="move: top edge; resize: height.")] = 0,
    ) -> str:
        """Focus, raise, minimize, close, move or resize a window; the effect is read back. Closing is
        irreversible (unsaved work may be lost): the guard asks for approval, and without one it is refused."""

        def act(_refs: list[str]) -> str:
            handle = WindowHandle(desktop, title, desktop.timeout)
            if action == "move":
                handle.move(x, y)
            elif action == "resize":
                handle.resize(x, y)
            else:
                getattr(handle, "raise_" if action == "raise" else action)()
            return f"The window {title!r}: {action} done."

        return guarded(lambda: session.act_on(f"{action} the window {title!r}", [], act))
