"""Where a run starts apps: a desktop ``deskhand desktop up`` holds, or the person's own desktop.

(A :class:`~deskhand.sandbox.desktop.VirtualDesktop` of the run's own is the third kind; all three offer
``launch``, ``launch_browser`` and ``owned``.) A desktop of deskhand's own has no window manager and its
browsers get deskhand's flags and a throw-away profile; on the person's desktop deskhand's browser uses a
profile of its own under deskhand's data folder, kept between runs, and stays open after the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from deskhand.sandbox.browsers import BrowserKind, browser_command, browser_env, fresh_profile_command
from deskhand.sandbox.launch import LaunchedApp, start_app, wait_launched
from deskhand.sandbox.processes import marker_args
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
        argv = fresh_profile_command(
            kind,
            url,
            profiles=temp_dir / "profiles",
            window_size=self.state.size,
            remote_debugging_port=remote_debugging_port,
            extra_args=extra_args,
            pac_script=pac_script,
        )
        app = start_app(argv, browser_env(kind, self.state.env), log_dir=temp_dir / "logs")
        return wait_launched(self.state.a11y_address, app, timeout=timeout, wait=wait)


class UserDesktop:
    """The person's own desktop (DISPLAY and buses not from deskhand): a window manager places windows."""

    owned = False

    def __init__(self, env: Mapping[str, str], a11y_address: str, data_dir: Path) -> None:
        self.env = dict(env)
        self.a11y_address = a11y_address
        self.data_dir = data_dir

    def launch(self, argv: Sequence[str], *, timeout: float = 20.0, wait: bool = True) -> LaunchedApp:
        app = start_app(argv, self.env, log_dir=self._logs())
        return wait_launched(self.a11y_address, app, timeout=timeout, wait=wait)

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
        # On a virtual desktop (a test's, or one a run did not start) the browser must still end with it.
        marked = marker_args(self.env) if kind == "chromium" else []
        argv = browser_command(
            kind,
            url,
            profile_dir=self.profile_dir(kind),
            remote_debugging_port=remote_debugging_port,
            extra_args=[*extra_args, *marked],
            pac_script=pac_script,
        )
        app = start_app(argv, browser_env(kind, self.env), log_dir=self._logs())
        return wait_launched(self.a11y_address, app, timeout=timeout, wait=wait)

    def profile_dir(self, kind: BrowserKind) -> Path:
        """deskhand's own profile for ``kind``: never the person's, so their tabs and logins stay theirs."""
        return self.data_dir / "browsers" / kind

    def _logs(self) -> Path:
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return logs
