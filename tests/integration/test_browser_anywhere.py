"""The browser wherever the person is: a `deskhand desktop up` desktop, their own desktop (deskhand's own
profile, attaching to a Chromium with a port, reading one without a port over AT-SPI), and the one-line
errors when a browser is missing or cannot be attached to. Everything runs through the CLI, as a person
would; the evidence is what the test server received."""

from __future__ import annotations

import shlex
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from tests.fixtures.web.server import serve_pages
from tests.integration.cli_shell import cli_env, deskhand, web_workflow

from deskhand.backends.browser.flags import free_port
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

FORM_POST = {"first_name": ["Ada"], "last_name": ["Lovelace"], "country": ["Japan"], "terms": ["yes"]}


@pytest.fixture(scope="module")
def site() -> Iterator[Any]:
    with serve_pages() as running:
        yield running


def _posted(site: Any) -> dict[str, list[str]]:
    body: dict[str, list[str]] = site.wait_for_post(timeout=15)
    return {key: body[key] for key in FORM_POST}


def _drain(site: Any) -> None:
    site.posts.clear()


def test_desktop_up_then_run_web_workflow(site: Any, tmp_path: Path) -> None:
    _drain(site)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    base = cli_env(_plain_env(), XDG_RUNTIME_DIR=str(runtime), DESKHAND_HOME=str(tmp_path / "home"))
    up = deskhand(["desktop", "up", "--name", "webtour"], base, cwd=tmp_path)
    assert up.code == 0, up
    env = {**base, **_exports(up.out)}
    try:
        workflow = web_workflow(tmp_path, site.base)
        first = deskhand(["run", str(workflow)], env, cwd=tmp_path)
        assert first.code == 0, first
        assert "started Chromium on its own desktop (debugging port 127.0.0.1:" in first.err
        assert _posted(site) == FORM_POST
        # The browser stays on the desktop: the next run attaches to it over CDP.
        second = deskhand(["run", str(workflow), "--no-lock"], env, cwd=tmp_path)
        assert second.code == 0, second
        assert "attached to the Chromium already open" in second.err and "over CDP" in second.err
        assert _posted(site) == FORM_POST
    finally:
        deskhand(["desktop", "down", "webtour"], base, cwd=tmp_path)


def test_own_desktop_gets_deskhands_own_chromium_profile(site: Any, tmp_path: Path) -> None:
    """A desktop deskhand did not start (no DESKHAND_DESKTOP): a Chromium in a profile under deskhand's
    data folder, its debugging port on loopback."""
    _drain(site)
    with VirtualDesktop() as person:
        home = tmp_path / "home"
        env = cli_env(person.env, DESKHAND_HOME=str(home))
        ran = deskhand(["run", str(web_workflow(tmp_path, site.base)), "--desktop", "current"], env, cwd=tmp_path)
        assert ran.code == 0, ran
        assert "started Chromium on your desktop (debugging port 127.0.0.1:" in ran.err
        assert _posted(site) == FORM_POST
        profile = home / "browsers" / "chromium"
        assert (profile / "Default").is_dir()
        flags = _chromium_flags(person)
        assert f"--user-data-dir={profile}" in flags
        # Port 0: Chromium binds a free port itself and writes it in its profile (a port picked before it
        # starts could be taken meanwhile).
        assert "--remote-debugging-port=0" in flags
        port = int((profile / "DevToolsActivePort").read_text().split()[0])
        assert _listens_on_loopback_only(port)


def test_running_chromium_without_a_port_is_read_over_atspi(site: Any, tmp_path: Path) -> None:
    _drain(site)
    with VirtualDesktop() as person:
        person.launch_chromium("about:blank")  # the person's own browser: accessibility on, no port
        env = cli_env(person.env, DESKHAND_HOME=str(tmp_path / "home"))
        ran = deskhand(["run", str(web_workflow(tmp_path, site.base)), "--desktop", "current"], env, cwd=tmp_path)
        assert ran.code == 0, ran
        assert "no debugging port, so pages are read over AT-SPI" in ran.err
        assert _posted(site) == FORM_POST


def test_missing_browser_is_one_line_naming_the_package(site: Any, tmp_path: Path) -> None:
    with VirtualDesktop() as person:
        bin_only = str(Path(cli_env({})["PATH"].split(":")[0]))  # the venv's scripts, no /usr/bin
        env = {**cli_env(person.env, DESKHAND_HOME=str(tmp_path / "home")), "PATH": bin_only}
        for browser, package in (("chromium", "chromium"), ("firefox", "firefox-esr")):
            workflow = web_workflow(tmp_path, site.base, browser=browser, apps=browser)
            ran = deskhand(["run", str(workflow), "--desktop", "current"], env, cwd=tmp_path, timeout=60)
            assert ran.code == 1, ran
            label = {"chromium": "Chromium", "firefox": "Firefox"}[browser]
            assert f"{label} is not installed" in ran.err, ran
            assert f"sudo apt-get install {package}" in ran.err, ran


def test_running_chromium_whose_port_does_not_answer_is_one_line(site: Any, tmp_path: Path) -> None:
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", free_port()))
    squatter.listen()
    port = squatter.getsockname()[1]
    stop = threading.Event()

    def hang_up() -> None:  # takes the port, answers nothing a debugger would understand
        squatter.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = squatter.accept()
            except OSError:
                continue
            connection.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        with VirtualDesktop() as person:
            person.launch_chromium("about:blank", extra_args=[f"--remote-debugging-port={port}"])
            env = cli_env(person.env, DESKHAND_HOME=str(tmp_path / "home"))
            workflow = web_workflow(tmp_path, site.base)
            ran = deskhand(["run", str(workflow), "--desktop", "current"], env, cwd=tmp_path, timeout=60)
            assert ran.code == 1, ran
            assert f"has a debugging port (http://127.0.0.1:{port}) that does not answer" in ran.err
            assert "Close that Chromium" in ran.err
    finally:
        stop.set()
        thread.join(timeout=2)
        squatter.close()


def _plain_env() -> dict[str, str]:
    """This process's environment without any desktop, as in a fresh terminal."""
    import os

    drop = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "DESKHAND_DESKTOP", "WAYLAND_DISPLAY")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _exports(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            found[key] = shlex.split(value)[0] if value else ""
    return found


def _chromium_flags(desktop: VirtualDesktop) -> list[str]:
    for app in desktop.registered_apps():
        if app.name == "Chromium":
            return list(psutil.Process(app.pid).cmdline())
    raise AssertionError("no Chromium on the desktop")


def _listens_on_loopback_only(port: int) -> bool:
    addresses = {c.laddr.ip for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port}
    return bool(addresses) and addresses <= {"127.0.0.1", "::1"}
