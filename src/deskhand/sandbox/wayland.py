"""WaylandDesktop: a headless Wayland compositor (weston, or sway: sandbox/sway.py) + a private session bus +
the AT-SPI bus.

GTK3, GTK4 and Chromium run on it as native Wayland clients and register on AT-SPI; deskhand reads them and
acts through AT-SPI's semantic actions, and under sway through its own virtual keyboard and pointer
(weston's headless backend has no input at all: see :mod:`deskhand.sandbox.wayland_input`). Extents there
are relative to each window. Same life cycle and launch API as :class:`~deskhand.sandbox.desktop.VirtualDesktop`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from deskhand.errors import SandboxError
from deskhand.sandbox.a11y_bus import BusClient, registry_children
from deskhand.sandbox.at_spi import AtSpiBus
from deskhand.sandbox.chromium import CHROMIUM, chromium_argv
from deskhand.sandbox.environment import app_environment, private_dirs
from deskhand.sandbox.launch import LaunchedApp, launched, start_app, wait_for_window
from deskhand.sandbox.processes import end_and_reap, exit_description, find_binary, spawn
from deskhand.sandbox.session_bus import SessionBus
from deskhand.sandbox.sway import start_sway
from deskhand.sandbox.wayland_input import SWAY, WESTON

_SOCKET_POLL_S = 0.02


def wayland_environment(env: Mapping[str, str], *, socket: str, compositor: str = WESTON) -> dict[str, str]:
    """An app environment (from :func:`app_environment`) switched from X11 to the Wayland ``socket`` (a name
    in the apps' runtime directory, or an absolute path)."""
    out = {key: value for key, value in env.items() if key != "DISPLAY"}
    out.update(
        {
            "WAYLAND_DISPLAY": socket,
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": compositor,
            "DESKHAND_COMPOSITOR": compositor,
            "GDK_BACKEND": "wayland",
            "QT_QPA_PLATFORM": "wayland",
            "ACCESSIBILITY_ENABLED": "1",  # Chromium registers on AT-SPI under Wayland only with this
            "GSK_RENDERER": "cairo",  # GTK4's GL renderer has no GPU here
        }
    )
    return out


class WaylandDesktop:
    """A private headless Wayland session whose apps are reachable over AT-SPI (root or not)."""

    def __init__(
        self,
        *,
        size: tuple[int, int] = (1280, 800),
        start_timeout: float = 15.0,
        base_env: Mapping[str, str] | None = None,
        compositor: str = WESTON,
        desktop_id: str | None = None,
    ) -> None:
        """``compositor``: "weston" (headless, no input at all; runs as root) or "sway" (headless wlroots,
        deskhand gives keys and a pointer there; never as root: sandbox/sway.py)."""
        if compositor not in (WESTON, SWAY):
            raise SandboxError(f"No headless compositor {compositor!r}.", hint="Use 'weston' or 'sway'.")
        self.compositor = compositor
        self.size = size
        self.id = desktop_id or secrets.token_hex(6)
        self.socket = f"deskhand-{self.id}"
        self._start_timeout = start_timeout
        self._base_env = dict(os.environ if base_env is None else base_env)
        self._temp_dir: Path | None = None
        self._processes: list[subprocess.Popen[bytes]] = []
        self._a11y: BusClient | None = None
        self._env: dict[str, str] = {}
        self.dbus_address = ""
        self.a11y_address = ""
        self.display = ""  # no X: the backend acts through AT-SPI only
        self.compositor_pid = 0

    def __enter__(self) -> WaylandDesktop:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> WaylandDesktop:
        if self._temp_dir is not None:
            raise SandboxError("This WaylandDesktop was already started.", hint="Create a new one for each use.")
        deadline = time.monotonic() + self._start_timeout
        self._temp_dir = Path(tempfile.mkdtemp(prefix=f"deskhand-wayland-{self.id}-"))
        try:
            self._start_parts(self._temp_dir, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_parts(self, temp_dir: Path, deadline: float) -> None:
        dirs = private_dirs(temp_dir)
        logs = dirs["logs"]
        infra = app_environment(self._base_env, desktop_id=self.id, dirs=dirs)
        extra: dict[str, str] = {}
        if self.compositor == SWAY:
            sway = start_sway(infra, temp_dir, self.size, logs / "sway.log", deadline)
            self._processes.append(sway.process)
            self.compositor_pid = sway.process.pid
            self.socket = str(sway.socket)
            extra["SWAYSOCK"] = str(sway.ipc)
        else:
            weston = spawn(
                [
                    find_binary("weston"),
                    "--backend=headless-backend.so",
                    f"--socket={self.socket}",
                    f"--width={self.size[0]}",
                    f"--height={self.size[1]}",
                    "--idle-time=0",
                ],
                {key: value for key, value in infra.items() if key != "DISPLAY"},
                log_path=logs / "weston.log",
            )
            self._processes.append(weston)
            self.compositor_pid = weston.pid
        session_bus = SessionBus(env=infra, log_path=logs / "session-bus.log", socket_dir=dirs["runtime"])
        self._processes.append(session_bus.process)
        self.dbus_address = session_bus.wait_ready(deadline)
        socket_path = self.socket
        if self.compositor == WESTON:
            self._wait_for_socket(dirs["runtime"] / self.socket, weston, logs / "weston.log", deadline)
            socket_path = str(dirs["runtime"] / self.socket)  # absolute: a shell's apps reach it too
        env = wayland_environment(
            app_environment(self._base_env, desktop_id=self.id, dirs=dirs, dbus_address=self.dbus_address),
            socket=socket_path,
            compositor=self.compositor,
        )
        env.update(extra)
        launcher = AtSpiBus(env=env, log_path=logs / "at-spi-bus-launcher.log")
        self._processes.append(launcher.process)
        with BusClient(self.dbus_address, timeout=max(deadline - time.monotonic(), 0.5)) as session:
            self.a11y_address = launcher.wait_ready(session, deadline)
        self._env = {**env, "AT_SPI_BUS_ADDRESS": self.a11y_address}
        self._a11y = BusClient(self.a11y_address, timeout=max(deadline - time.monotonic(), 0.5))
        registry_children(self._a11y, timeout=max(deadline - time.monotonic(), 0.5))

    @staticmethod
    def _wait_for_socket(path: Path, weston: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
        # weston has no readiness signal on its headless backend; its socket appears once it listens.
        while not path.exists():
            ended = exit_description(weston, log)
            if ended:
                raise SandboxError(f"weston {ended}.", hint=f"See {log}; weston needs XDG_RUNTIME_DIR and its backend.")
            if time.monotonic() > deadline:
                raise SandboxError(f"weston made no socket {path.name} in time.", hint=f"See {log}.")
            time.sleep(_SOCKET_POLL_S)

    def stop(self) -> None:
        if self._a11y is not None:
            self._a11y.close()
            self._a11y = None
        end_and_reap(self.id, self._processes, grace=1.0)
        self._processes.clear()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    @property
    def env(self) -> dict[str, str]:
        return dict(self._env)

    @property
    def temp_dir(self) -> Path:
        if self._temp_dir is None:
            raise SandboxError("The Wayland desktop is not started.", hint="Call start() or use `with`.")
        return self._temp_dir

    def launch(self, argv: Sequence[str], *, timeout: float = 30.0) -> LaunchedApp:
        """Start ``argv`` as a Wayland client; return once it shows a window on the a11y bus."""
        if self._a11y is None:
            raise SandboxError("The Wayland desktop is not running.", hint="Call start() or use `with`.")
        app = start_app(argv, self._env, log_dir=self.temp_dir / "logs")
        self._processes.append(app.process)
        return launched(app, *wait_for_window(self._a11y, app, timeout=timeout))

    def launch_chromium(self, url: str, *, timeout: float = 40.0) -> LaunchedApp:
        profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=self.temp_dir))
        argv = chromium_argv(url, binary=find_binary(CHROMIUM), profile_dir=profile, window_size=self.size)
        argv = ["--ozone-platform=wayland" if arg == "--ozone-platform=x11" else arg for arg in argv]
        return self.launch(argv, timeout=timeout)
