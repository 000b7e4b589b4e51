"""VirtualDesktop on real Xvfb, D-Bus and AT-SPI: start, isolate, launch, capture, tear down."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import typer
from PIL import Image
from tests.integration.loopback_site import loopback_site
from typer.testing import CliRunner

from deskhand.errors import SandboxError
from deskhand.sandbox import VirtualDesktop, a11y_bus, current_desktop
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.processes import marked_processes
from deskhand.sandbox.starters import UserDesktop
from deskhand.surfaces.cli import desktop as desktop_cli

pytestmark = pytest.mark.desktop

HEADING = "Hello from deskhand"


def app_names(desk: VirtualDesktop) -> list[str]:
    return sorted(name for _, name, _ in desk.registered_apps())


def find_named(a11y: BusClient, bus_name: str, wanted: str, *, limit: int = 3000) -> bool:
    """Breadth-first search of an app's accessible tree for an element named ``wanted``."""
    queue = [(bus_name, a11y_bus.ROOT_PATH)]
    for _ in range(limit):
        if not queue:
            return False
        bus, path = queue.pop(0)
        try:
            if a11y_bus.accessible_name(a11y, bus, path) == wanted:
                return True
            queue += a11y_bus.accessible_children(a11y, bus, path)
        except SandboxError:
            continue  # an element went away while we walked
    return False


def test_up_and_down_leave_nothing_behind() -> None:
    desk = VirtualDesktop().start()
    temp_dir = desk.temp_dir
    desk.launch(["zenity", "--info", "--text", "bye"])
    assert marked_processes(desk.id)
    xvfb_pid = desk.xvfb_pid

    desk.stop()

    assert marked_processes(desk.id) == []
    assert not psutil.pid_exists(xvfb_pid) or psutil.Process(xvfb_pid).status() == psutil.STATUS_ZOMBIE
    assert not temp_dir.exists()
    desk.stop()  # a second stop is harmless


def test_a_browser_a_run_started_on_the_desktop_ends_with_it(tmp_path: Path) -> None:
    # A `deskhand run --desktop current` on a virtual desktop starts Chromium with a profile under its own data
    # folder; Chromium writes its title over its environment, marker included. Killed with -9, the run leaves
    # the browser behind, and once the desktop's X server is gone its processes spin on a core.
    desk = VirtualDesktop().start()
    try:
        starter = UserDesktop(desk.env, desk.a11y_address, tmp_path / "data")
        browser = starter.launch_browser("chromium", "about:blank", wait=False)
        deadline = time.monotonic() + 20
        while psutil.Process(browser.pid).environ() and time.monotonic() < deadline:
            time.sleep(0.05)  # until Chromium has written its title over its environment
        assert psutil.Process(browser.pid).environ() == {}, "the test needs the browser's title rewritten"
        family = [browser.pid, *(c.pid for c in psutil.Process(browser.pid).children(recursive=True))]
        # Known as the desktop's own, so its stop (and its reaper, if the owner is killed) ends it.
        assert browser.pid in [p.pid for p in marked_processes(desk.id)]
    finally:
        desk.stop()
    alive = [pid for pid in family if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert alive == [], f"left running after the desktop stopped: {alive}"


def test_env_points_apps_at_the_desktop(desktop: VirtualDesktop) -> None:
    env = desktop.env
    assert env["DISPLAY"] == desktop.display
    assert env["DBUS_SESSION_BUS_ADDRESS"] == desktop.dbus_address
    assert env["AT_SPI_BUS_ADDRESS"] == desktop.a11y_address
    assert env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] == "1"
    assert env["DESKHAND_DESKTOP_ID"] == desktop.id
    assert "NO_AT_BRIDGE" not in env
    assert "GTK_A11Y" not in env
    assert Path(env["HOME"]).is_relative_to(desktop.temp_dir)
    assert Path(env["XDG_RUNTIME_DIR"]).stat().st_mode & 0o777 == 0o700
    info = current_desktop(env)
    assert info is not None
    assert (info.display, info.a11y_address) == (desktop.display, desktop.a11y_address)


def test_current_desktop_finds_the_a11y_bus_without_the_variable(desktop: VirtualDesktop) -> None:
    env = {key: value for key, value in desktop.env.items() if key != "AT_SPI_BUS_ADDRESS"}
    info = current_desktop(env)
    assert info is not None and info.a11y_address == desktop.a11y_address
    assert info.a11y_source == "org.a11y.Bus.GetAddress"
    only_x = {"DISPLAY": desktop.display}
    info = current_desktop(only_x)
    assert info is not None and info.a11y_address == desktop.a11y_address
    assert current_desktop({}) is None


def test_two_desktops_are_isolated(qt_form_command: list[str]) -> None:
    with VirtualDesktop() as first, VirtualDesktop() as second:
        assert first.display != second.display
        first.launch(["zenity", "--entry", "--text", "first"])
        second.launch(qt_form_command)
        assert app_names(first) == ["zenity"]
        assert app_names(second) == ["qt_form.py"]


def test_gtk_app_registers_with_a_window(desktop: VirtualDesktop) -> None:
    app = desktop.launch(["zenity", "--entry", "--title", "Ask", "--text", "Your name"])
    try:
        assert app.name == "zenity"
        assert (app.bus_name, "zenity", app.pid) in desktop.registered_apps()
    finally:
        desktop.stop_app(app)
    assert "zenity" not in app_names(desktop)


def test_qt_form_registers_with_its_fields(desktop: VirtualDesktop, qt_form_command: list[str]) -> None:
    app = desktop.launch(qt_form_command)
    try:
        with BusClient(desktop.a11y_address) as a11y:
            windows = a11y_bus.accessible_children(a11y, app.bus_name, a11y_bus.ROOT_PATH)
            titles = [a11y_bus.accessible_name(a11y, *window) for window in windows]
            assert "deskhand Qt form" in titles
            for field in ("Name", "Email", "Submit", "Subscribe to newsletter"):
                assert find_named(a11y, app.bus_name, field), field
    finally:
        desktop.stop_app(app)


@pytest.fixture
def web_page() -> Iterator[str]:
    page = f"<!doctype html><title>deskhand test</title><h1>{HEADING}</h1><p>A page.</p>".encode()
    with loopback_site(page) as site:
        yield site.url + "/"


def test_chromium_exposes_web_content(fresh_desktop: VirtualDesktop, web_page: str) -> None:
    app = fresh_desktop.launch_chromium(web_page)
    assert app.name == "Chromium"
    deadline = time.monotonic() + 20.0
    with BusClient(fresh_desktop.a11y_address) as a11y:
        while not find_named(a11y, app.bus_name, HEADING):
            assert time.monotonic() < deadline, f"no element named {HEADING!r} in Chromium's tree"
            time.sleep(0.2)


def test_screenshot_is_a_png_of_the_screen(desktop: VirtualDesktop, tmp_path: Path) -> None:
    image = Image.open(io.BytesIO(desktop.screenshot()))
    assert image.format == "PNG"
    assert image.size == desktop.size
    saved = desktop.screenshot_to(tmp_path / "screen.png")
    assert Image.open(saved).size == desktop.size


OWNER_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from deskhand.sandbox import VirtualDesktop
    desk = VirtualDesktop().start()
    desk.launch(["zenity", "--info", "--text", "orphan"])
    print(json.dumps({"id": desk.id, "dir": str(desk.temp_dir)}), flush=True)
    time.sleep(120)
    """
)


def test_killing_the_owner_leaves_nothing_behind() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER_SCRIPT], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    started = json.loads(owner.stdout.readline())
    assert marked_processes(started["id"])

    owner.send_signal(signal.SIGKILL)
    owner.wait()

    deadline = time.monotonic() + 5.0
    while marked_processes(started["id"]) or Path(started["dir"]).exists():
        assert time.monotonic() < deadline, [p.name() for p in marked_processes(started["id"])]
        time.sleep(0.05)


BROWSER_OWNER_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from deskhand.sandbox import VirtualDesktop
    desk = VirtualDesktop().start()
    app = desk.launch_chromium("about:blank")
    print(json.dumps({"id": desk.id, "pid": app.pid}), flush=True)
    time.sleep(120)
    """
)


def test_killing_the_owner_ends_its_browser_too() -> None:
    # Chromium writes its process title over its environment, marker included: the reaper must still find
    # it. Stopped, it cannot leave by itself when its X server goes (as a hung browser would not).
    owner = subprocess.Popen([sys.executable, "-c", BROWSER_OWNER_SCRIPT], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    started = json.loads(owner.stdout.readline())
    main = psutil.Process(started["pid"])
    browsers = [main, *main.children(recursive=True)]
    try:
        main.suspend()
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        _gone, alive = psutil.wait_procs(browsers, timeout=10.0)
        assert alive == [], [(p.pid, p.cmdline()[:1]) for p in alive]
    finally:
        for browser in browsers:
            with contextlib.suppress(psutil.Error):
                browser.kill()


def test_missing_xvfb_is_a_clear_error() -> None:
    desk = VirtualDesktop(xvfb="Xvfb-not-installed")
    with pytest.raises(SandboxError, match="'Xvfb-not-installed' was not found") as caught:
        desk.start()
    assert "\n" not in caught.value.message
    assert "apt-get install" in caught.value.hint
    assert marked_processes(desk.id) == []


def test_taken_display_is_a_clear_error(desktop: VirtualDesktop) -> None:
    desk = VirtualDesktop(display=desktop.display)
    with pytest.raises(SandboxError, match=f"display {desktop.display}: that display is already taken") as caught:
        desk.start()
    assert "\n" not in caught.value.message
    assert marked_processes(desk.id) == []


def test_app_that_never_registers_times_out_and_is_ended(desktop: VirtualDesktop) -> None:
    with pytest.raises(SandboxError, match=r"'sleep 60' registered no window .* within 1 s") as caught:
        desktop.launch(["sleep", "60"], timeout=1.0)
    assert "\n" not in caught.value.message
    left = [p for p in marked_processes(desktop.id) if p.name() == "sleep"]
    assert left == []


def test_app_that_fails_reports_its_exit_and_last_words(desktop: VirtualDesktop) -> None:
    with pytest.raises(SandboxError, match=r"exited with code 3: no such file: x\.txt"):
        desktop.launch(["sh", "-c", "echo 'no such file: x.txt' >&2; exit 3"], timeout=5.0)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The `desktop` commands, with their state files in a private XDG_RUNTIME_DIR."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv("DESKHAND_DESKTOP", raising=False)
    yield CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    desktop_cli.register(app)
    return app


def test_cli_up_json_and_down_round_trip(cli: CliRunner) -> None:
    up = cli.invoke(_app(), ["desktop", "up", "--name", "roundtrip", "--json"])
    assert up.exit_code == 0, up.output
    data = json.loads(up.stdout)
    assert set(data) == {"name", "display", "dbus_address", "a11y_address", "pid"}
    assert data["name"] == "roundtrip"
    assert psutil.Process(data["pid"]).name() == "Xvfb"
    state_file = Path(os.environ["XDG_RUNTIME_DIR"]) / "deskhand" / "desktops" / "roundtrip.json"
    assert state_file.exists()

    again = cli.invoke(_app(), ["desktop", "up", "--name", "roundtrip", "--json"])
    assert json.loads(again.stdout) == data  # up is idempotent

    run = cli.invoke(_app(), ["desktop", "run", "--name", "roundtrip", "--", "zenity", "--info", "--text", "x"])
    assert run.exit_code == 0, run.output
    assert "'zenity' is up" in run.stdout

    nowhere = cli.invoke(_app(), ["desktop", "down", ":999"])
    assert nowhere.exit_code != 0 and "No desktop is on display :999; known: roundtrip" in str(nowhere.exception)
    down = cli.invoke(_app(), ["desktop", "down", data["display"]])  # by display, as `up` printed it
    assert down.exit_code == 0, down.output
    assert not state_file.exists()
    deadline = time.monotonic() + 3.0
    while psutil.pid_exists(data["pid"]) and psutil.Process(data["pid"]).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "Xvfb still runs after `desktop down`"
        time.sleep(0.05)


def test_cli_up_prints_exports_for_eval(cli: CliRunner) -> None:
    up = cli.invoke(_app(), ["desktop", "up", "--name", "evaluated"])
    try:
        assert up.exit_code == 0, up.output
        lines = up.stdout.splitlines()
        assert [line.split("=", 1)[0] for line in lines] == [
            "export DISPLAY",
            "export DBUS_SESSION_BUS_ADDRESS",
            "export AT_SPI_BUS_ADDRESS",
            "export QT_LINUX_ACCESSIBILITY_ALWAYS_ON",
            "export DESKHAND_DESKTOP",
        ]
        assert lines[-1] == "export DESKHAND_DESKTOP=evaluated"
    finally:
        cli.invoke(_app(), ["desktop", "down", "evaluated"])
