"""`deskhand desktop up --wayland` from a shell, as a person would: a headless sway (as nobody under root) with its
session bus and AT-SPI bus; the exports point a shell's apps at it; a GTK app started there registers on
AT-SPI; doctor tells Wayland and sway and what works; a screenshot is refused naming sway's facility."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from tests.integration.cli_shell import cli_env, deskhand

pytestmark = pytest.mark.desktop


def _plain_env() -> dict[str, str]:
    drop = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "DESKHAND_DESKTOP", "WAYLAND_DISPLAY")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _exports(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            found[key] = shlex.split(value)[0] if value else ""
    return found


def test_desktop_up_wayland_starts_sway_with_its_buses(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    base = cli_env(_plain_env(), XDG_RUNTIME_DIR=str(runtime), DESKHAND_HOME=str(tmp_path / "home"))
    up = deskhand(["desktop", "up", "--wayland", "--name", "wl"], base, cwd=tmp_path, timeout=60)
    assert up.code == 0, up
    assert "unset DISPLAY" in up.out.splitlines()
    exported = _exports(up.out)
    env = {**base, **exported}
    try:
        assert Path(exported["WAYLAND_DISPLAY"]).is_socket()  # an absolute path: any shell's apps reach it
        assert exported["DESKHAND_COMPOSITOR"] == "sway" and Path(exported["SWAYSOCK"]).is_socket()
        assert exported["AT_SPI_BUS_ADDRESS"].startswith("unix:")
        assert "is up on Wayland (sway)" in up.err

        started = deskhand(["desktop", "run", "--", "zenity", "--info", "--text=on sway"], env, cwd=tmp_path)
        assert started.code == 0, started  # it waited for the app's window on the AT-SPI bus
        assert "'zenity' is up" in started.out

        doctor = deskhand(["doctor"], env, cwd=tmp_path)
        assert "Wayland" in doctor.out and "compositor sway" in doctor.out, doctor
        assert "virtual keyboard" in doctor.out and "virtual pointer" in doctor.out, doctor

        shot = deskhand(["desktop", "screenshot", str(tmp_path / "s.png")], env, cwd=tmp_path)
        assert shot.code != 0 and "Wayland desktop" in shot.err and "grim" in shot.err, shot
    finally:
        down = deskhand(["desktop", "down", "wl"], base, cwd=tmp_path)
    assert down.code == 0, down
    assert not Path(exported["WAYLAND_DISPLAY"]).exists()
