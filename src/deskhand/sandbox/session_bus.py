"""The desktop's private session D-Bus daemon."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from deskhand.errors import SandboxError
from deskhand.sandbox.processes import exit_description, find_binary, read_line, spawn


class SessionBus:
    """A started ``dbus-daemon``; :meth:`wait_ready` returns its address once it listens.

    ``socket_dir`` keeps its socket inside the desktop's folder (so it goes with it); ``config_file`` replaces
    the stock session configuration (tests use one without service files).
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        log_path: Path,
        socket_dir: Path | None = None,
        config_file: Path | None = None,
    ) -> None:
        self.log_path = log_path
        path = find_binary("dbus-daemon")
        read_end, write_end = os.pipe()
        config = f"--config-file={config_file}" if config_file else "--session"
        argv = [path, config, "--nofork", f"--print-address={write_end}"]
        if socket_dir is not None:
            argv.append(f"--address=unix:dir={socket_dir}")
        try:
            self.process: subprocess.Popen[bytes] = spawn(argv, env, log_path=log_path, pass_fds=[write_end])
        finally:
            os.close(write_end)
        self._read_end = read_end
        self.address = ""

    def wait_ready(self, deadline: float) -> str:
        try:
            line = read_line(self._read_end, deadline)
        finally:
            os.close(self._read_end)
        if line:
            self.address = line
            return line
        seen = exit_description(self.process, self.log_path) or "did not print its address in time"
        raise SandboxError(f"The session D-Bus daemon {seen}.", hint=f"See {self.log_path} for dbus-daemon's messages.")
