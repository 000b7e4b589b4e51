"""The pointer and window MCP tools over the real protocol (official client SDK, stdio), on the Tk form that
has no accessibility tree, judged by the app's own printed values and by xwininfo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from mcp.client.client import Client
from tests.integration.test_mcp_support import ref_of, stdio_params, text_of

from deskhand.sandbox import VirtualDesktop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

TK_FORM = Path(__file__).resolve().parents[1] / "apps" / "tk_form.py"


def test_drag_double_right_click_and_window_tools_on_a_form_without_a_tree(
    fresh_desktop: VirtualDesktop, tmp_path: Path
) -> None:
    virtual = fresh_desktop
    form = virtual.launch([sys.executable, str(TK_FORM)], wait=False)
    params = stdio_params(virtual, tmp_path, "--apps", "tk_form")

    async def session() -> None:
        async with Client(params) as c:
            with anyio.fail_after(20):  # the window shows once the app had its time to join the bus (it never does)
                while "tk_form" not in text_of(await c.call_tool("list_apps", {})):
                    await anyio.sleep(0.2)
            view = text_of(await c.call_tool("snapshot", {"app": "tk_form"}))
            cherry, lemon = ref_of(view, "listitem", "Cherry"), ref_of(view, "listitem", "Lemon")
            dragged = await c.call_tool("drag", {"from_ref": cherry, "to_ref": lemon})
            assert not dragged.is_error, text_of(dragged)
            view = text_of(await c.call_tool("snapshot", {"app": "tk_form"}))
            apple = ref_of(view, "listitem", "Apple")
            for tool in ("double_click", "right_click"):
                clicked = await c.call_tool(tool, {"ref": apple})
                assert not clicked.is_error, text_of(clicked)
            moved = await c.call_tool("window", {"title": "deskhand Tk form", "action": "move", "x": 120, "y": 90})
            assert not moved.is_error, text_of(moved)
            closing = await c.call_tool("window", {"title": "deskhand Tk form", "action": "close"})
            assert closing.is_error and "close" in text_of(closing), text_of(closing)  # irreversible: not approved
            view = text_of(await c.call_tool("snapshot", {"app": "tk_form"}))
            submitted = await c.call_tool("click", {"ref": ref_of(view, "label", "Submit")})
            assert not submitted.is_error, text_of(submitted)

    anyio.run(session)
    info = subprocess.run(
        ["xwininfo", "-name", "deskhand Tk form"], env=virtual.env, capture_output=True, text=True, check=True
    ).stdout
    assert "Relative upper-left X:  120" in info and "Relative upper-left Y:  90" in info, info
    lines = [line for line in form.log_path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    assert lines, form.log_path.read_text(encoding="utf-8")
    values = json.loads(lines[-1])
    assert (values["fruits"], values["basket"]) == (["Apple", "Mango"], ["Lemon", "Cherry"]), values
