"""Xvfb, the virtual X server: it picks a free display number itself and says when it is ready."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from deskhand.errors import SandboxError
from deskhand.sandbox.processes import exit_description, find_binary, read_line, spawn

_DISPLAY = re.compile(r"^:?(\d+)(?:\.\d+)?$")


def parse_display(display: str) -> int:
    """':3', '3' or ':3.0' -> 3; anything else is a SandboxError."""
    match = _DISPLAY.match(display.strip())
    if not match:
        raise SandboxError(f"{display!r} is not an X display name.", hint="Give it as ':N', e.g. display=':99'.")
    return int(match.group(1))


def display_in_use(number: int) -> bool:
    """True when an X server (or its leftovers) holds display ``number`` on this machine."""
    return Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists()


class Xvfb:
    """A started Xvfb; :meth:`wait_ready` returns its display once it accepts clients.

    With ``-displayfd`` Xvfb writes the display number to a pipe when it is ready to accept connections, so
    there is neither a race for a free number nor any polling for the socket.
    """

    def __init__(
        self,
        *,
        binary: str,
        size: tuple[int, int],
        display: str | None,
        env: Mapping[str, str],
        log_path: Path,
    ) -> None:
        self.log_path = log_path
        self._asked = parse_display(display) if display is not None else None
        if self._asked is not None and display_in_use(self._asked):
            raise SandboxError(
                f"Cannot start Xvfb on display :{self._asked}: that display is already taken.",
                hint="Leave display= unset so a free one is picked, or stop the X server using it.",
            )
        path = find_binary(binary)
        read_end, write_end = os.pipe()
        width, height = size
        argv = [path]
        if self._asked is not None:
            argv.append(f":{self._asked}")
        argv += [
            "-displayfd", str(write_end),
            "-screen", "0", f"{width}x{height}x24",
            "-nolisten", "tcp",
            "-noreset",  # keep root-window properties (AT_SPI_BUS) when the last client leaves
        ]  # fmt: skip
        try:
            self.process: subprocess.Popen[bytes] = spawn(argv, env, log_path=log_path, pass_fds=[write_end])
        finally:
            os.close(write_end)  # only Xvfb holds it now: its exit reads as EOF
        self._read_end = read_end
        self.display = ""

    def wait_ready(self, deadline: float) -> str:
        try:
            line = read_line(self._read_end, deadline)
        finally:
            os.close(self._read_end)
        if line and line.isdigit():
            self.display = f":{line}"
            return self.display
        seen = exit_description(self.process, self.log_path)
        if seen is None:
            raise SandboxError(
                f"Xvfb did not report a ready display within the deadline (log: {self.log_path}).",
                hint="The machine may be overloaded; try again or raise the timeout.",
            )
        if self._asked is not None and "already active" in seen:
            raise SandboxError(
                f"Cannot start Xvfb on display :{self._asked}: that display is already taken.",
                hint="Leave display= unset so a free one is picked, or stop the X server using it.",
            )
        raise SandboxError(f"Xvfb {seen}.", hint=f"See {self.log_path} for Xvfb's own messages.")
