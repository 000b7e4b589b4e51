"""Every MCP tool that was only listed, now called over the real protocol (the official client SDK over stdio),
each judged by evidence from outside the server: the accessibility bus read by this test, the process table,
the Qt form's printed output, keys typed by xdotool, this test's own screen grab."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import psutil
import pytest
from mcp.client.client import Client
from PIL import Image, ImageChops, ImageStat
from tests.integration.test_mcp_support import QT_APP, QT_TITLE, stdio_params, text_of

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.launch import LaunchedApp, registered_apps
from deskhand.sandbox.screenshot import grab_png
from mcp import types as mcp_types

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

LONG_TEXT = "\n".join(f"line {n}" for n in range(1, 301))


@pytest.fixture
def qt_form(fresh_desktop: VirtualDesktop, qt_form_command: list[str]) -> Iterator[LaunchedApp]:
    app = fresh_desktop.launch(qt_form_command, timeout=30)
    try:
        yield app
    finally:
        fresh_desktop.stop_app(app)


def bus_apps(virtual: VirtualDesktop) -> dict[str, int]:
    """name → pid of every app on the accessibility bus, read by this test, not by the server."""
    with BusClient(virtual.a11y_address, timeout=5) as bus:
        return {name: pid for _, name, pid in registered_apps(bus)}


def scrollbar_value(virtual: VirtualDesktop, app: str) -> float:
    """The vertical scroll bar of ``app``'s text view, read by a backend of this test's own."""
    backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
    try:
        info = next(a for a in backend.applications() if a.name == app)
        bars = [n for n in backend.snapshot(info.ref).walk() if n.role == "scrollbar" and n.value]
        assert bars, "no scroll bar with a value"
        return max(float(n.value or 0) for n in bars)
    finally:
        backend.close()


def text_value(virtual: VirtualDesktop, app: str) -> str:
    """The text of ``app``'s text view, read by a backend of this test's own."""
    backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
    try:
        info = next(a for a in backend.applications() if a.name == app)
        return next(n.value or "" for n in backend.snapshot(info.ref).walk() if n.role == "textbox")
    finally:
        backend.close()


def type_from_outside(virtual: VirtualDesktop, pid: int, text: str, typed_at: list[float]) -> None:
    """xdotool, another process, focuses the app's window and types ``text``; notes when it starts typing."""
    env = {**virtual.env}
    window = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(pid)],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    ).stdout.split()[-1]
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, timeout=20, check=True)
    typed_at.append(time.monotonic())
    subprocess.run(["xdotool", "type", "--delay", "20", text], env=env, timeout=20, check=True)


def test_list_apps_open_app_wait_for_press_scroll_and_screenshot(
    fresh_desktop: VirtualDesktop, qt_form: LaunchedApp, tmp_path: Path
) -> None:
    virtual = fresh_desktop
    params = stdio_params(virtual, tmp_path, "--apps", f"{QT_APP},mousepad")
    typed_at: list[float] = []

    async def session() -> dict[str, object]:
        seen: dict[str, object] = {}
        async with Client(params) as c:
            listed = await c.call_tool("list_apps", {})
            assert not listed.is_error, text_of(listed)
            seen["listed"] = json.loads(text_of(listed))

            opened = await c.call_tool("open_app", {"name": "mousepad"})
            assert not opened.is_error and "is open" in text_of(opened), text_of(opened)
            seen["after_open"] = bus_apps(virtual)

            mousepad_pid = next(pid for name, pid in bus_apps(virtual).items() if name == "mousepad")
            typist = threading.Thread(
                target=type_from_outside, args=(virtual, mousepad_pid, " arrived-late", typed_at), daemon=True
            )
            typist.start()
            waited = await c.call_tool("wait_for", {"text": "arrived-late", "timeout": 30})
            seen["waited_at"] = time.monotonic()
            assert not waited.is_error, text_of(waited)
            never = await c.call_tool("wait_for", {"text": "never-shown-text", "timeout": 1})
            assert never.is_error, text_of(never)

            for keys in ("Ctrl+A", "BackSpace", "o", "Shift+k"):
                pressed = await c.call_tool("press", {"keys": keys})
                assert not pressed.is_error, text_of(pressed)
            seen["after_press"] = text_value(virtual, "mousepad")

            view = text_of(await c.call_tool("snapshot", {"app": "mousepad"}))
            found = re.search(r"^\s*- textbox .*?\[(e\d+)\]", view, re.MULTILINE)
            assert found, view
            text = found.group(1)
            assert not (await c.call_tool("fill", {"ref": text, "text": LONG_TEXT})).is_error
            seen["top"] = scrollbar_value(virtual, "mousepad")
            scrolled = await c.call_tool("scroll", {"ref": text, "direction": "down"})
            assert not scrolled.is_error, text_of(scrolled)
            seen["scrolled"] = scrollbar_value(virtual, "mousepad")

            shot = await c.call_tool("screenshot", {})
            images = [p for p in shot.content if isinstance(p, mcp_types.ImageContent)]
            assert not shot.is_error and len(images) == 1
            seen["shot"] = images[0]
            seen["own_shot"] = grab_png(virtual.display)
            typist.join(timeout=30)
            seen["mousepad_pid"] = mousepad_pid
        return seen

    seen = anyio.run(session)
    try:
        listed = seen["listed"]
        assert isinstance(listed, list)
        # list_apps names what is on the bus (as this test reads it) and says which the session may use.
        names = {entry["name"] for entry in listed}
        assert QT_APP in names and names <= set(bus_apps(virtual)) | {"mousepad"}
        qt_entry = next(entry for entry in listed if entry["name"] == QT_APP)
        assert qt_entry["allowed"] is True and QT_TITLE in qt_entry["windows"]
        # open_app started a real mousepad on this desktop.
        after = seen["after_open"]
        assert isinstance(after, dict) and "mousepad" in after
        assert psutil.Process(after["mousepad"]).name() == "mousepad"
        # press: the chord selected the typed text, BackSpace removed it, the keys (one with Shift) replaced it.
        assert seen["after_press"] == "oK", seen["after_press"]
        # scroll moved the text view's own scroll bar down from the top.
        assert float(str(seen["scrolled"])) > float(str(seen["top"])), (seen["top"], seen["scrolled"])
        # wait_for returned only after another process had begun typing the text.
        assert typed_at and float(str(seen["waited_at"])) >= typed_at[0]
        # screenshot is a PNG of this screen: the size of the display and close to this test's own grab.
        image = seen["shot"]
        assert isinstance(image, mcp_types.ImageContent) and image.mime_type == "image/png"
        theirs = Image.open(io.BytesIO(base64.b64decode(image.data))).convert("RGB")
        ours = Image.open(io.BytesIO(seen["own_shot"])).convert("RGB")  # type: ignore[arg-type]
        assert theirs.size == ours.size == virtual.size
        assert max(ImageStat.Stat(ImageChops.difference(theirs, ours)).mean) < 8
    finally:
        pid = seen.get("mousepad_pid")
        if isinstance(pid, int) and psutil.pid_exists(pid):
            psutil.Process(pid).kill()
