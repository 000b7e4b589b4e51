"""`deskhand service install`: a systemd user unit that keeps deskhand's scheduler (inside `deskhand serve`
once that command exists, else `deskhand schedule run-loop`) running for the logged-in person."""

from __future__ import annotations

import importlib.util
import os
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

UNIT_NAME = "deskhand.service"
# The desktop the scheduled runs work on: a graphical session exports these to the user manager
# (`systemctl --user import-environment`); the unit passes them on when they are set.
PASSED = ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS")


def unit_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    config = Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", str(Path.home()))) / ".config")
    return config / "systemd" / "user" / UNIT_NAME


def service_command() -> list[str]:
    if importlib.util.find_spec("deskhand.surfaces.cli.serve") is not None:
        return [sys.executable, "-m", "deskhand", "serve", "--host", "127.0.0.1"]
    return [sys.executable, "-m", "deskhand", "schedule", "run-loop"]


def unit_text(home: Path, command: list[str] | None = None, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    command = command or service_command()
    lines = [
        "[Unit]",
        "Description=deskhand: scheduled workflows (and the web console)",
        "After=graphical-session.target",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + shlex.join(command),
        f"Environment={_quoted('DESKHAND_HOME=' + str(home))} PYTHONUNBUFFERED=1",
        f"PassEnvironment={' '.join(PASSED)}",
        "Restart=on-failure",
        "RestartSec=10",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ]
    return "\n".join(lines)


def _quoted(assignment: str) -> str:
    # systemd reads Environment= words with shell-like quotes: quote one that has spaces.
    return f'"{assignment}"' if any(c.isspace() for c in assignment) else assignment


def install(home: Path, env: Mapping[str, str] | None = None) -> Path:
    path = unit_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(home, env=env), encoding="utf-8")
    return path
