"""The AT-SPI accessibility bus: ``at-spi-bus-launcher`` on the session bus, and switching it on."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from deskhand.errors import SandboxError
from deskhand.sandbox import a11y_bus
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.processes import exit_description, find_binary, spawn

# Debian/Ubuntu ship the launcher outside PATH; the folder moved between releases.
LAUNCHER_FOLDERS = ("/usr/libexec", "/usr/lib/at-spi2-core", "/usr/libexec/at-spi2-core")


def find_launcher() -> str:
    return find_binary("at-spi-bus-launcher", also_in=LAUNCHER_FOLDERS)


class AtSpiBus:
    """A started ``at-spi-bus-launcher --launch-immediately`` (it starts the a11y bus's own dbus-daemon)."""

    def __init__(self, *, env: Mapping[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] = spawn([find_launcher(), "--launch-immediately"], env, log_path=log_path)

    def wait_ready(self, session: BusClient, deadline: float) -> str:
        """Wait until the launcher owns org.a11y.Bus, switch accessibility on, return the a11y address."""

        def launcher_exited() -> str | None:
            seen = exit_description(self.process, self.log_path)
            return f"at-spi-bus-launcher {seen}" if seen else None

        session.wait_for_name(a11y_bus.A11Y_BUS_NAME, max(deadline - time.monotonic(), 0.0), give_up=launcher_exited)
        # The launcher is up: never auto-start a second one through the session bus's service file.
        address = a11y_bus.get_a11y_address(session, auto_start=False)
        if not address:
            raise SandboxError(
                "at-spi-bus-launcher answered GetAddress with an empty address.",
                hint=f"See {self.log_path}; the a11y bus's dbus-daemon may have failed to start.",
            )
        a11y_bus.set_a11y_enabled(session, True)
        return address
