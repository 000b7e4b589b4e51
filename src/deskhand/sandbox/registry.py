"""Named desktops that outlive the command that started them (``deskhand desktop up/down/run``).

Each named desktop is held by a keeper process (``python -m deskhand.sandbox.keeper``), detached from the
CLI; its state is a JSON file under ``$XDG_RUNTIME_DIR/deskhand/desktops/<name>.json`` (fallback
``/tmp/deskhand-<uid>/desktops/``). Ending the keeper ends the desktop.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from deskhand.errors import SandboxError
from deskhand.sandbox.launch import LaunchedApp, start_app, wait_launched
from deskhand.sandbox.processes import end_processes, last_line, read_line, wait_gone

DEFAULT_NAME = "default"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class DesktopState:
    """What a keeper records about the desktop it holds."""

    name: str
    id: str
    display: str
    dbus_address: str
    a11y_address: str
    xvfb_pid: int
    keeper_pid: int
    temp_dir: str
    size: tuple[int, int]
    env: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> DesktopState:
        data = json.loads(text)
        data["size"] = tuple(data["size"])
        return cls(**data)


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir() and os.access(runtime, os.W_OK):
        folder = Path(runtime) / "deskhand" / "desktops"
    else:
        folder = Path(f"/tmp/deskhand-{os.getuid()}") / "desktops"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise SandboxError(
            f"{name!r} is not a usable desktop name.",
            hint="Use letters, digits, '.', '_' or '-' (up to 64), starting with a letter or digit.",
        )
    return name


def read_state(name: str, folder: Path | None = None) -> DesktopState | None:
    path = (folder or state_dir()) / f"{check_name(name)}.json"
    try:
        return DesktopState.from_json(path.read_text())
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        raise SandboxError(
            f"The state file {path} is damaged ({error}).",
            hint=f"Remove it with `deskhand desktop down {name}`.",
        ) from error


def write_state(state: DesktopState, folder: Path | None = None) -> Path:
    """Write atomically, so a reader never sees half a file."""
    path = (folder or state_dir()) / f"{state.name}.json"
    partial = path.with_suffix(".json.partial")
    partial.write_text(state.to_json())
    partial.replace(path)
    return path


def list_states(folder: Path | None = None) -> list[DesktopState]:
    states = []
    for path in sorted((folder or state_dir()).glob("*.json")):
        state = read_state(path.stem, folder)
        if state is not None:
            states.append(state)
    return states


def is_alive(state: DesktopState) -> bool:
    """True while the desktop's keeper runs (checked by pid and command line, against pid reuse)."""
    try:
        keeper = psutil.Process(state.keeper_pid)
        return keeper.status() != psutil.STATUS_ZOMBIE and state.id in keeper.cmdline()
    except psutil.Error:
        return False


def bring_up(
    name: str = DEFAULT_NAME, *, size: tuple[int, int] = (1280, 800), timeout: float = 20.0, wayland: str = ""
) -> DesktopState:
    """Start a named desktop held by a detached keeper, or return the one already up under that name;
    ``wayland`` names a headless compositor ("sway", "weston") to start instead of an X server."""
    folder = state_dir()
    existing = read_state(name, folder)
    if existing is not None:
        if is_alive(existing):
            return existing
        _clean_up(existing, folder)  # left over from a keeper that died
    log_path = folder / f"{name}.log"
    desktop_id = secrets.token_hex(6)
    argv = [sys.executable, "-m", "deskhand.sandbox.keeper", "--name", name, "--id", desktop_id]
    with open(log_path, "ab") as log:
        keeper = subprocess.Popen(
            [*argv, "--size", f"{size[0]}x{size[1]}", "--state-dir", str(folder), "--wayland", wayland],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,  # detached: it outlives this command and its terminal
        )
    assert keeper.stdout is not None
    line = read_line(keeper.stdout.fileno(), time.monotonic() + timeout)
    keeper.stdout.close()
    report = _parse_report(line)
    if report.get("error"):
        keeper.wait(timeout=10.0)
        raise SandboxError(str(report["error"]), hint=str(report.get("hint", "")))
    state = read_state(name, folder)
    if state is None or not line:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(keeper.pid, signal.SIGTERM)
        tail = last_line(log_path)
        raise SandboxError(
            f"The desktop {name!r} did not come up within {timeout:g} s" + (f": {tail}" if tail else "."),
            hint=f"See {log_path}; `deskhand doctor` checks the parts it needs.",
        )
    return state


def bring_down(name: str, *, timeout: float = 10.0) -> bool:
    """End a named desktop and everything on it; False when no desktop of that name was known."""
    folder = state_dir()
    state = read_state(name, folder)
    if state is None:
        return False
    if is_alive(state):
        with contextlib.suppress(ProcessLookupError):
            os.kill(state.keeper_pid, signal.SIGTERM)
        with contextlib.suppress(psutil.Error):
            wait_gone([psutil.Process(state.keeper_pid)], timeout)
    _clean_up(state, folder)
    return True


def resolve(name: str | None = None, env: Mapping[str, str] | None = None) -> DesktopState:
    """The desktop meant: ``name``, else $DESKHAND_DESKTOP, else the only one up."""
    env = os.environ if env is None else env
    wanted = name or env.get("DESKHAND_DESKTOP", "")
    if wanted:
        state = read_state(wanted)
        if state is None or not is_alive(state):
            raise SandboxError(
                f"No desktop named {wanted!r} is up.",
                hint=f"Start it with `deskhand desktop up --name {wanted}`.",
            )
        return state
    up = [state for state in list_states() if is_alive(state)]
    if len(up) == 1:
        return up[0]
    if not up:
        raise SandboxError("No desktop is up.", hint='Start one with `eval "$(deskhand desktop up)"`.')
    names = ", ".join(state.name for state in up)
    raise SandboxError(
        f"Several desktops are up ({names}) and none was chosen.",
        hint="Pass --name, or set DESKHAND_DESKTOP to one of them.",
    )


def launch_into(state: DesktopState, argv: Sequence[str], *, wait: bool = True, timeout: float = 20.0) -> LaunchedApp:
    """Start ``argv`` on a named desktop; it stays there after this process exits, until `down`."""
    app = start_app(argv, state.env, log_dir=Path(state.temp_dir) / "logs")
    return wait_launched(state.a11y_address, app, timeout=timeout, wait=wait)


def _clean_up(state: DesktopState, folder: Path) -> None:
    end_processes(state.id, grace=1.0)
    if Path(state.temp_dir).name.startswith(f"deskhand-desktop-{state.id}-"):
        shutil.rmtree(state.temp_dir, ignore_errors=True)  # normally the keeper or its reaper did this
    for path in (folder / f"{state.name}.json", folder / f"{state.name}.log"):
        path.unlink(missing_ok=True)


def _parse_report(line: str | None) -> dict[str, object]:
    if not line:
        return {}
    try:
        report = json.loads(line)
    except ValueError:
        return {"error": f"The desktop keeper said: {line}"}
    return report if isinstance(report, dict) else {}
