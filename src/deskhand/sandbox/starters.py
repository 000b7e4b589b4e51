"""Where a run starts apps: a desktop ``deskhand desktop up`` holds, or the person's own desktop.

(A :class:`~deskhand.sandbox.desktop.VirtualDesktop` of the run's own is the third kind; all three offer
``launch``, ``launch_browser`` and ``owned``.) A desktop of deskhand's own has no window manager and its
browsers get deskhand's flags and a throw-away profile; on the person's desktop deskhand's browser uses a
profile of its own under deskhand's data folder, kept between runs, and stays open after the run.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from deskhand.errors import SandboxError
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.browsers import BrowserKind, browser_command, browser_env
from deskhand.sandbox.launch import AppProcess, LaunchedApp, start_app, wait_for_window
from deskhand.sandbox.processes import end_processes
from deskhand.sandbox.registry import DesktopState, launch_into


class AppStarter(Protocol):
    @property
    def owned(self) -> bool:
        """True on a desktop deskhand started (no window manager: deskhand raises windows itself)."""
        ...

    def launch(self, argv: Sequence[str], *, timeout: float = 20.0, wait: bool = True) -> LaunchedApp: ...

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
    ) -> LaunchedApp: ...


class NamedDesktop:
    """A desktop held by ``deskhand desktop up``: apps started on it stay until ``deskhand desktop down``."""

    owned = True

    def __init__(self, state: DesktopState) -> None:
        self.state = state

    def launch(self, argv: Sequence[str], *, timeout: float = 20.0, wait: bool = True) -> LaunchedApp:
        return launch_into(self.state, argv, wait=wait, timeout=timeout)

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
        temp_dir = Path(self.state.temp_dir)
        (temp_dir / "profiles").mkdir(exist_ok=True)
        profile = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=temp_dir / "profiles"))
        argv = browser_command(
            kind,
            url,
            profile_dir=profile,
            remote_debugging_port=remote_debugging_port,
            window_size=self.state.size,
            extra_args=extra_args,
            pac_script=pac_script,
        )
        app = start_app(argv, browser_env(kind, self.state.env), log_dir=temp_dir / "logs")
        return _wait(self.state.a11y_address, app, timeout=timeout, wait=wait)


class UserDesktop:
    """The person's own desktop (DISPLAY and buses not from deskhand): a window manager places windows."""

    owned = False

    def __init__(self, env: Mapping[str, str], a11y_address: str, data_dir: Path) -> None:
        self.env = dict(env)
        self.a11y_address = a11y_address
        self.data_dir = data_dir

    def launch(self, argv: Sequence[str], *, timeout: float = 20.0, wait: bool = True) -> LaunchedApp:
        app = start_app(argv, self.env, log_dir=self._logs())
        return _wait(self.a11y_address, app, timeout=timeout, wait=wait)

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
        argv = browser_command(
            kind,
            url,
            profile_dir=self.profile_dir(kind),
            remote_debugging_port=remote_debugging_port,
            extra_args=extra_args,
            pac_script=pac_script,
        )
        app = start_app(argv, browser_env(kind, self.env), log_dir=self._logs())
        return _wait(self.a11y_address, app, timeout=timeout, wait=wait)

    def profile_dir(self, kind: BrowserKind) -> Path:
        """deskhand's own profile for ``kind``: never the person's, so their tabs and logins stay theirs."""
        return self.data_dir / "browsers" / kind

    def _logs(self) -> Path:
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return logs


def _wait(a11y_address: str, app: AppProcess, *, timeout: float, wait: bool) -> LaunchedApp:
    if not wait:
        return LaunchedApp(app.process.pid, app.argv, "", "", app.log_path)
    try:
        with BusClient(a11y_address) as a11y:
            bus_name, name = wait_for_window(a11y, app, timeout=timeout)
    except SandboxError:
        end_processes("", [app.process.pid], grace=0.5)
        with contextlib.suppress(subprocess.TimeoutExpired):
            app.process.wait(timeout=2.0)
        raise
    return LaunchedApp(app.process.pid, app.argv, bus_name, name, app.log_path)
