"""Opening apps and web pages on the run's desktop (the runner's Launcher)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from deskhand.app.browser import BrowserOpener
from deskhand.app.desktop_entries import installed_apps, resolve
from deskhand.errors import AppNotFound, WorkflowError
from deskhand.locate.desktop import Desktop
from deskhand.sandbox.browsers import BROWSER_KINDS, BrowserKind, browser_kind
from deskhand.sandbox.starters import AppStarter

# "the browser": the workflow's `browser:` (Chromium unless it says otherwise).
BROWSER_NAMES = ("browser", "the browser", "web browser")


def _to_stderr(line: str) -> None:
    print(f"deskhand: {line}", file=sys.stderr, flush=True)


def pick_browser(name: str, default: str = "") -> BrowserKind:
    """The browser kind ``name`` means ("" or "the browser": ``default``, else Chromium)."""
    wanted = name.strip() or default.strip() or "chromium"
    kind = browser_kind(wanted)
    if kind is None:
        raise WorkflowError(
            f"{wanted!r} is not a browser deskhand can open.",
            hint=f"Use one of: {', '.join(BROWSER_KINDS)}.",
        )
    return kind


@dataclass
class DesktopLauncher:
    """Starts apps on the run's desktop: through ``starter`` (a desktop deskhand started, or the person's
    own), or as plain processes when there is none."""

    desktop: Desktop
    starter: AppStarter | None
    timeout: float = 20.0
    say: Callable[[str], None] = _to_stderr
    guard_network: Callable[[str], None] | None = None

    def open_app(self, name: str) -> str:
        key = name.strip().lower()
        if key in BROWSER_NAMES or browser_kind(key) is not None:
            return self.open_url("about:blank", "" if key in BROWSER_NAMES else key)
        running = self.desktop.find_app(name)
        if running is not None and running.windows:
            return running.name
        argv = self._command_for(name)
        running = self.desktop.find_app(Path(argv[0]).name)
        if running is not None and running.windows:
            return running.name
        if self.starter is not None:
            launched = self.starter.launch(argv, timeout=self.timeout)
            name = launched.name or argv[0]
            if self.starter.owned:
                self._focus(name)
            return name
        subprocess.Popen(argv, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self.desktop.wait_for_app(argv[0], timeout=self.timeout).name

    def _command_for(self, name: str) -> list[str]:
        """The command of the installed app ``name`` means (its desktop entry), else a program of that
        name on PATH; AppNotFound lists the closest installed apps."""
        try:
            return list(resolve(name, installed_apps()).argv)
        except AppNotFound:
            if shutil.which(name.strip()):
                return [name.strip()]
            raise

    def _focus(self, name: str) -> None:
        """With no window manager nothing gives a new window the keyboard: do it, as a click would."""
        app = self.desktop.wait_for_app(name, timeout=self.timeout)
        if app.windows:
            self.desktop.backend.activate_window(app.windows[-1].ref)

    def open_url(self, url: str, browser: str = "", *, sites: Sequence[str] = ()) -> str:
        """Show ``url`` in ``browser`` (a name; "" means Chromium) and return the browser's app name."""
        opener = BrowserOpener(
            self.desktop, self.starter, self.say, timeout=max(self.timeout, 30.0), guard_network=self.guard_network
        )
        return opener.open(pick_browser(browser), url, sites=sites)
