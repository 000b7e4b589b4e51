"""VirtualDesktop: Xvfb + a private session bus + the AT-SPI bus, and apps launched onto them."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from deskhand.errors import SandboxError
from deskhand.sandbox import a11y_bus
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.at_spi import AtSpiBus
from deskhand.sandbox.browsers import BrowserKind, browser_env, fresh_profile_command
from deskhand.sandbox.environment import app_environment, private_dirs
from deskhand.sandbox.launch import (
    AppProcess,
    LaunchedApp,
    RegisteredApp,
    launched,
    registered_apps,
    start_app,
    wait_for_window,
)
from deskhand.sandbox.processes import MARKER, end_and_reap, spawn
from deskhand.sandbox.screenshot import grab_png
from deskhand.sandbox.session_bus import SessionBus
from deskhand.sandbox.xvfb import Xvfb


class VirtualDesktop:
    """A private, disposable desktop whose apps are reachable over AT-SPI.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`). Nothing it starts outlives it:
    teardown ends its process groups and every process carrying its ``DESKHAND_DESKTOP_ID`` marker, and a
    reaper process does the same if the owner is killed outright.
    """

    def __init__(
        self,
        *,
        size: tuple[int, int] = (1280, 800),
        display: str | None = None,
        window_manager: Sequence[str] | None = None,
        name: str | None = None,
        xvfb: str = "Xvfb",
        start_timeout: float = 15.0,
        base_env: Mapping[str, str] | None = None,
        desktop_id: str | None = None,
    ) -> None:
        self.size = size
        self.name = name
        self.id = desktop_id or secrets.token_hex(6)
        self._asked_display = display
        self._window_manager = list(window_manager) if window_manager else None
        self._xvfb_binary = xvfb
        self._start_timeout = start_timeout
        self._base_env = dict(os.environ if base_env is None else base_env)
        self._temp_dir: Path | None = None
        self._processes: list[subprocess.Popen[bytes]] = []
        self._reaper: subprocess.Popen[bytes] | None = None
        self._reaper_pipe: int | None = None
        self._session: BusClient | None = None
        self._a11y: BusClient | None = None
        self._env: dict[str, str] = {}
        self.display = ""
        self.dbus_address = ""
        self.a11y_address = ""
        self.xvfb_pid = 0

    # --- life cycle ------------------------------------------------------------------------------------

    def __enter__(self) -> VirtualDesktop:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._a11y is not None

    def start(self) -> VirtualDesktop:
        """Start Xvfb and the session bus side by side, then the AT-SPI bus; return once it answers."""
        if self._temp_dir is not None:
            raise SandboxError("This VirtualDesktop was already started.", hint="Create a new one for each use.")
        deadline = time.monotonic() + self._start_timeout
        self._temp_dir = Path(tempfile.mkdtemp(prefix=f"deskhand-desktop-{self.id}-"))
        try:
            self._start_reaper(self._temp_dir)
            self._start_parts(self._temp_dir, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_parts(self, temp_dir: Path, deadline: float) -> None:
        dirs = private_dirs(temp_dir)
        logs = dirs["logs"]
        infra_env = app_environment(self._base_env, desktop_id=self.id, dirs=dirs, name=self.name)
        xvfb = Xvfb(
            binary=self._xvfb_binary,
            size=self.size,
            display=self._asked_display,
            env=infra_env,
            log_path=logs / "xvfb.log",
        )
        self._processes.append(xvfb.process)
        self.xvfb_pid = xvfb.process.pid
        session_bus = SessionBus(env=infra_env, log_path=logs / "session-bus.log", socket_dir=dirs["runtime"])
        self._processes.append(session_bus.process)
        self.display = xvfb.wait_ready(deadline)
        self.dbus_address = session_bus.wait_ready(deadline)
        env = app_environment(
            self._base_env,
            desktop_id=self.id,
            dirs=dirs,
            name=self.name,
            display=self.display,
            dbus_address=self.dbus_address,
        )
        launcher = AtSpiBus(env=env, log_path=logs / "at-spi-bus-launcher.log")
        self._processes.append(launcher.process)
        if self._window_manager:
            self._processes.append(spawn(self._window_manager, env, log_path=logs / "window-manager.log"))
        self._session = BusClient(self.dbus_address, timeout=max(deadline - time.monotonic(), 0.5))
        # Services the session bus starts on demand (dconf, ...) get the display too.
        self._session.call(
            a11y_bus.DBUS_NAME,
            a11y_bus.DBUS_PATH,
            a11y_bus.DBUS_NAME,
            "UpdateActivationEnvironment",
            "a{ss}",
            [{"DISPLAY": self.display}],
        )
        self.a11y_address = launcher.wait_ready(self._session, deadline)
        self._env = {**env, "AT_SPI_BUS_ADDRESS": self.a11y_address}
        a11y = BusClient(self.a11y_address, timeout=max(deadline - time.monotonic(), 0.5))
        self._a11y = a11y
        # The first call starts at-spi2-registryd (D-Bus activation); it is up once it answers.
        a11y_bus.registry_children(a11y, timeout=max(deadline - time.monotonic(), 0.5))

    def _start_reaper(self, temp_dir: Path) -> None:
        read_end, write_end = os.pipe()
        env = {key: value for key, value in self._base_env.items() if key != MARKER}
        try:
            self._reaper = subprocess.Popen(
                [sys.executable, "-m", "deskhand.sandbox.reaper", "--id", self.id, "--dir", str(temp_dir)],
                stdin=read_end,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # a signal to the owner's group must not reach the reaper
            )
        except BaseException:
            os.close(write_end)
            raise
        finally:
            os.close(read_end)
        self._reaper_pipe = write_end

    def stop(self) -> None:
        """End every process of the desktop and remove its temp folder. Safe to call twice."""
        for client in (self._a11y, self._session):
            if client is not None:
                client.close()
        self._a11y = self._session = None
        end_and_reap(self.id, self._processes, grace=1.0)
        self._processes.clear()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
        if self._reaper_pipe is not None:
            os.close(self._reaper_pipe)  # EOF: the reaper checks once more, then exits
            self._reaper_pipe = None
        if self._reaper is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._reaper.wait(timeout=5.0)
            self._reaper = None

    # --- what apps and callers need ----------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        """The environment an app needs to run on this desktop (a copy)."""
        return dict(self._env)

    @property
    def temp_dir(self) -> Path:
        if self._temp_dir is None:
            raise SandboxError("The virtual desktop is not started.", hint="Call start() or use `with`.")
        return self._temp_dir

    owned = True  # deskhand started it: no window manager, and the browser gets deskhand's flags

    def launch(self, argv: Sequence[str], *, timeout: float = 20.0, wait: bool = True) -> LaunchedApp:
        """Start ``argv`` on this desktop; with ``wait``, return once it shows a window on the a11y bus."""
        a11y = self._require_running()
        app = start_app(argv, self._env, log_dir=self.temp_dir / "logs")
        return self._wait_launched(a11y, app, timeout=timeout, wait=wait)

    def _wait_launched(self, a11y: BusClient, app: AppProcess, *, timeout: float, wait: bool) -> LaunchedApp:
        self._processes.append(app.process)
        if not wait:
            return launched(app)
        try:
            return launched(app, *wait_for_window(a11y, app, timeout=timeout))
        except SandboxError:
            self._end_app(app.process)
            raise

    def launch_chromium(
        self,
        url: str,
        *,
        remote_debugging_port: int | None = None,
        extra_args: Sequence[str] = (),
        timeout: float = 30.0,
        wait: bool = True,
    ) -> LaunchedApp:
        """Start a fresh-profile Chromium on ``url`` with web content exposed on AT-SPI."""
        return self.launch_browser(
            "chromium",
            url,
            remote_debugging_port=remote_debugging_port,
            extra_args=extra_args,
            timeout=timeout,
            wait=wait,
        )

    def launch_browser(
        self,
        kind: BrowserKind,
        url: str,
        *,
        remote_debugging_port: int | None = None,
        extra_args: Sequence[str] = (),
        timeout: float = 30.0,
        wait: bool = True,
        pac_script: str | None = None,
    ) -> LaunchedApp:
        """Start ``kind`` in a fresh profile on ``url``, its pages exposed on AT-SPI, sized to the screen."""
        argv = fresh_profile_command(
            kind,
            url,
            profiles=self.temp_dir,
            window_size=self.size,
            remote_debugging_port=remote_debugging_port,
            extra_args=extra_args,
            pac_script=pac_script,
        )
        a11y = self._require_running()
        app = start_app(argv, browser_env(kind, self._env), log_dir=self.temp_dir / "logs")
        return self._wait_launched(a11y, app, timeout=timeout, wait=wait)

    def stop_app(self, app: LaunchedApp) -> None:
        """End an app started with :meth:`launch`, with its whole process group."""
        for process in self._processes:
            if process.pid == app.pid:
                self._end_app(process)
                return

    def registered_apps(self) -> list[RegisteredApp]:
        """(bus_name, name, pid) of every application registered on this desktop's a11y bus."""
        return registered_apps(self._require_running())

    def screenshot(self) -> bytes:
        """A PNG of the whole screen."""
        self._require_running()
        return grab_png(self.display)

    def screenshot_to(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_bytes(self.screenshot())
        return target

    def _require_running(self) -> BusClient:
        if self._a11y is None:
            raise SandboxError("The virtual desktop is not running.", hint="Call start() or use `with`.")
        return self._a11y

    def _end_app(self, process: subprocess.Popen[bytes]) -> None:
        """End an app that failed to come up, with its whole process group."""
        end_and_reap("", [process], grace=0.5)
        if process in self._processes:
            self._processes.remove(process)

    def __repr__(self) -> str:
        state = f"display={self.display!r}" if self.running else "stopped"
        return f"<VirtualDesktop {self.id} {state}>"
