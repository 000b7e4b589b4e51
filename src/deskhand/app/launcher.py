"""Opening apps and web pages on the run's desktop (the runner's Launcher)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field

from deskhand.backends.browser.flags import READER_FLAGS, free_port
from deskhand.errors import AppNotFound, SandboxError
from deskhand.locate.desktop import Desktop
from deskhand.sandbox.desktop import VirtualDesktop

# What people call an app → the command that starts it.
APP_COMMANDS: dict[str, list[str]] = {
    "mousepad": ["mousepad"],
    "text editor": ["mousepad"],
    "gedit": ["gedit"],
    "calculator": ["gnome-calculator"],
    "gnome-calculator": ["gnome-calculator"],
    "zenity": ["zenity", "--info", "--text", "deskhand"],
}
BROWSER_NAMES = ("chromium", "browser", "the browser", "web browser")


@dataclass
class DesktopLauncher:
    """Starts apps through the virtual desktop we own, or as plain processes on the current one."""

    desktop: Desktop
    virtual: VirtualDesktop | None
    timeout: float = 20.0
    _browser_open: bool = field(default=False, init=False)

    def open_app(self, name: str) -> str:
        key = name.strip().lower()
        if key in BROWSER_NAMES:
            return self.open_url("about:blank")
        running = self.desktop.find_app(name)
        if running is not None and running.windows:
            return running.name
        argv = APP_COMMANDS.get(key) or [key]
        if shutil.which(argv[0]) is None:
            raise AppNotFound(name, sorted(APP_COMMANDS), hint=f"Install {argv[0]!r} or name an app on this machine.")
        if self.virtual is not None:
            launched = self.virtual.launch(argv, timeout=self.timeout)
            name = launched.name or argv[0]
            self._focus(name)
            return name
        subprocess.Popen(argv, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self.desktop.wait_for_app(argv[0], timeout=self.timeout).name

    def _focus(self, name: str) -> None:
        """With no window manager nothing gives a new window the keyboard: do it, as a click would."""
        app = self.desktop.wait_for_app(name, timeout=self.timeout)
        if app.windows:
            self.desktop.backend.activate_window(app.windows[-1].ref)

    def open_url(self, url: str) -> str:
        browser = self.desktop.find_app("chromium")
        if browser is not None and browser.windows:
            # Chromium is up: type the address into its address bar, like a person would.
            address_bar = self.desktop.app(browser.name).get_by_role("textbox", name="Address and search bar")
            address_bar.first.fill(url)
            self.desktop.press("Enter")
            return browser.name
        if self.virtual is None:
            raise SandboxError(
                "Opening the browser needs a desktop deskhand started (it adds the accessibility flags).",
                hint="Run with `--desktop virtual`, or start Chromium with --force-renderer-accessibility.",
            )
        # A debugging port on loopback and Blink's computed roles: the page is read over CDP (fast, and it
        # survives navigation), the browser's own UI over AT-SPI.
        launched = self.virtual.launch_chromium(url, remote_debugging_port=free_port(), extra_args=READER_FLAGS)
        return launched.name or "Chromium"
