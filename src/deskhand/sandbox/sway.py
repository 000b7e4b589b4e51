"""sway as a headless Wayland compositor (wlroots' headless backend, no GPU, no input devices).

sway refuses to start as root ("Unable to drop root"), so under root it runs as the unprivileged ``nobody``
in a runtime directory of its own; the apps keep theirs and reach it by the socket's absolute path (which
``WAYLAND_DISPLAY`` accepts), as root can open any socket. As any other user it simply runs as that user.
Its IPC socket (``SWAYSOCK``) tells deskhand's doctor and steps which compositor this is and what it offers.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deskhand.errors import SandboxError
from deskhand.sandbox.processes import MARKER, exit_description, find_binary, spawn

_NOBODY = 65534
_POLL_S = 0.02


@dataclass(frozen=True)
class RunningSway:
    process: subprocess.Popen[bytes]
    socket: Path  # the Wayland display socket
    ipc: Path  # SWAYSOCK


def start_sway(env: Mapping[str, str], folder: Path, size: tuple[int, int], log: Path, deadline: float) -> RunningSway:
    """Start sway with its runtime directory in ``folder``; return once both its sockets are there."""
    runtime = folder / "sway-runtime"
    runtime.mkdir(mode=0o700)
    config = folder / "sway.conf"
    config.write_text(f"output HEADLESS-1 resolution {size[0]}x{size[1]}\n")
    argv = [find_binary("sway"), "--config", str(config)]
    if os.geteuid() == 0:
        os.chown(runtime, _NOBODY, _NOBODY)
        folder.chmod(0o755)  # nobody reads its config there
        config.chmod(0o644)
        argv = [find_binary("setpriv"), f"--reuid={_NOBODY}", f"--regid={_NOBODY}", "--clear-groups", *argv]
    sway_env = {
        "PATH": env.get("PATH", "/usr/bin:/bin"),
        "HOME": str(runtime),
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",  # no GPU here
        "LANG": env.get("LANG", "C.UTF-8"),
        MARKER: env.get(MARKER, ""),  # ended with its desktop even if its keeper died
    }
    process = spawn(argv, sway_env, log_path=log)
    while True:
        sockets = [p for p in runtime.glob("wayland-*") if not p.name.endswith(".lock")]
        ipc = list(runtime.glob("sway-ipc.*.sock"))
        if sockets and ipc:
            return RunningSway(process, sockets[0], ipc[0])
        ended = exit_description(process, log)
        if ended:
            raise SandboxError(f"sway {ended}.", hint=f"See {log}; sway needs wlroots' headless backend.")
        if time.monotonic() > deadline:
            raise SandboxError("sway made no Wayland socket in time.", hint=f"See {log}.")
        time.sleep(_POLL_S)
