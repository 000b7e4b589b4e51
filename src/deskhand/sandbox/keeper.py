"""The keeper: holds one named desktop for the CLI, detached from it, until told to stop.

``python -m deskhand.sandbox.keeper --name N --id ID --size WxH --state-dir DIR [--wayland sway|weston]``
starts a :class:`VirtualDesktop` (or a :class:`WaylandDesktop` on that compositor), writes its state
file, prints one JSON line (``{"ready": true}`` or ``{"error": ..., "hint": ...}``) on stdout for
``deskhand desktop up``, then waits for SIGTERM, SIGINT or SIGHUP (``deskhand desktop down``) or for its
X server (or compositor) to die, and tears the desktop down.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

import psutil

from deskhand.errors import SandboxError
from deskhand.sandbox.desktop import VirtualDesktop
from deskhand.sandbox.registry import DesktopState, write_state
from deskhand.sandbox.wayland import WaylandDesktop


class _Stop(Exception):
    """Raised by the signal handler to end the keeper's wait."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deskhand.sandbox.keeper")
    parser.add_argument("--name", required=True)
    parser.add_argument("--id", required=True)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--state-dir", required=True, type=Path)
    parser.add_argument("--wayland", default="", help="a headless Wayland compositor instead of X: sway or weston")
    options = parser.parse_args(argv)
    width, height = (int(part) for part in options.size.split("x"))

    def on_signal(number: int, frame: FrameType | None) -> None:
        raise _Stop  # interrupts the sleep below at once (and a start under way, which then cleans up)

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, on_signal)

    desk: VirtualDesktop | WaylandDesktop
    if options.wayland:
        desk = WaylandDesktop(size=(width, height), compositor=options.wayland, desktop_id=options.id)
    else:
        desk = VirtualDesktop(size=(width, height), name=options.name, desktop_id=options.id)
    try:
        desk.start()
    except _Stop:
        return 1
    except SandboxError as error:
        _report({"error": error.message, "hint": error.hint})
        return 1
    # What the keeper watches: the X server, or the Wayland compositor.
    server_pid = desk.compositor_pid if isinstance(desk, WaylandDesktop) else desk.xvfb_pid
    try:
        state = DesktopState(
            name=options.name,
            id=desk.id,
            display=desk.display,
            dbus_address=desk.dbus_address,
            a11y_address=desk.a11y_address,
            xvfb_pid=server_pid,
            keeper_pid=os.getpid(),
            temp_dir=str(desk.temp_dir),
            size=desk.size,
            env=desk.env,
        )
        state_file = write_state(state, options.state_dir)
        _report({"ready": True})
        # A signal ends the sleep at once; between signals, check that the X server did not die on its own.
        with contextlib.suppress(_Stop):
            while _running(server_pid):
                time.sleep(1.0)
        state_file.unlink(missing_ok=True)
    finally:
        desk.stop()
    return 0


def _running(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _report(message: dict[str, object]) -> None:
    """One line for `deskhand desktop up`, then stdout is closed so it sees EOF."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
