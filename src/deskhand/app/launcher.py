"""Opening apps and web pages on the run's desktop (the runner's Launcher)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from deskhand.app.browser import BrowserOpener
from deskhand.app.desktop_entries import installed_apps, resolve
from deskhand.backends.base import AppInfo
from deskhand.errors import ActionFailed, AppNotFound, NodeGone, WorkflowError
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
    # Told (name asked for, app on the bus) when the app is known by its process to be the one the name
    # means — started by this launcher, or running the entry's own program — never by a window title;
    # before anything is done in the app.
    on_opened: Callable[[str, str], None] = lambda name, app: None

    def open_app(self, name: str) -> str:
        key = name.strip().lower()
        if key in BROWSER_NAMES or browser_kind(key) is not None:
            return self.open_url("about:blank", "" if key in BROWSER_NAMES else key)
        running = self.desktop.find_app(name)
        if running is not None and running.windows:
            if runs_program_of(running.pid, self.program_path(name)):
                self.on_opened(name, running.name)
            return running.name
        argv = self._command_for(name)
        running = self.desktop.find_app(Path(argv[0]).name)
        if running is not None and running.windows:
            if runs_program_of(running.pid, shutil.which(argv[0]) or ""):
                if len(argv) > 1:  # the entry asks the program for one of its parts: `libreoffice --writer`
                    return self._ask_running(name, argv, running)
                self.on_opened(name, running.name)
            return running.name
        if self.starter is not None:
            launched = self.starter.launch(argv, timeout=self.timeout)
            opened = launched.name or argv[0]
            if launched.name:
                self.on_opened(name, launched.name)
            if self.starter.owned:
                self._focus(opened)
            return opened
        _run_detached(argv)
        return self.desktop.wait_for_app(argv[0], timeout=self.timeout).name

    def _ask_running(self, name: str, argv: list[str], running: AppInfo) -> str:
        """One process serving several apps (LibreOffice's Writer, Calc, Impress) is asked for the one named
        the way a person's launcher asks it: by running the entry's command, which hands the request to the
        running process and leaves. Judged by the window that opens, brought to the front; without it the
        step would report the app open while the next steps act in another app's window."""
        before = {window.ref for window in running.windows}
        if self.starter is not None:
            self.starter.launch(argv, timeout=self.timeout, wait=False)
        else:
            _run_detached(argv)
        deadline = time.monotonic() + self.timeout
        admitted = False
        while True:
            now = next((app for app in self.desktop.apps() if app.ref == running.ref), None)
            opened = [w for w in now.windows if w.ref not in before] if now is not None else []
            if opened:
                if not admitted:
                    # Known by its program and asked by the entry's command: the app the name means, allowed
                    # before it is read (apps: may list only "LibreOffice Writer"); admitted once.
                    self.on_opened(name, running.name)
                    admitted = True
                if self._brought_up(running, opened[-1].ref):
                    return running.name
            remaining = deadline - time.monotonic()
            if now is None or remaining <= 0:
                raise ActionFailed(
                    f"Ran {' '.join(argv)!r} to open {name!r} in the running {running.name}, but no new window "
                    f"of {running.name} showed within {self.timeout:g} s.",
                    hint='Switch to its window by title instead: `Switch to "<title>"`.',
                )
            self.desktop.backend.wait_for_change(min(remaining, 0.2))

    def _brought_up(self, app: AppInfo, window: str) -> bool:
        """Whether ``window`` of ``app`` came to the front; False while the app's kept tree does not hold it
        yet (read afresh for the next look) or when it was gone first."""
        backend = self.desktop.backend
        backend.snapshot(app.ref)  # the kept tree of a running app learns of the new window here
        try:
            backend.activate_window(window)
        except NodeGone:
            backend.invalidate(app.ref)
            return False
        return True

    def program_names(self, name: str) -> tuple[str, ...]:
        """The names of the program the installed app ``name`` means runs: its desktop entry's command and
        the file that command leads to (`libreoffice` is a link to `soffice`, the name on the bus), or ()."""
        path = self.program_path(name)
        if not path:
            return ()
        return tuple(dict.fromkeys((Path(path).name, Path(path).resolve().name)))

    def program_path(self, name: str) -> str:
        """Where that program is on PATH, or ''."""
        try:
            return shutil.which(self._command_for(name)[0]) or ""
        except AppNotFound:
            return ""

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
        deadline = time.monotonic() + self.timeout
        while True:
            app = self.desktop.wait_for_app(name, timeout=max(deadline - time.monotonic(), 0.0))
            # A starting app may drop its first window for the one it keeps (LibreOffice did, in 1 of 7 runs).
            if not app.windows or self._brought_up(app, app.windows[-1].ref):
                return
            if time.monotonic() >= deadline:
                raise ActionFailed(f"{name} showed no window that stayed within {self.timeout:g} s of starting.")
            self.desktop.backend.wait_for_change(0.2)

    def open_url(self, url: str, browser: str = "", *, sites: Sequence[str] = ()) -> str:
        """Show ``url`` in ``browser`` (a name; "" means Chromium) and return the browser's app name."""
        opener = BrowserOpener(
            self.desktop, self.starter, self.say, timeout=max(self.timeout, 30.0), guard_network=self.guard_network
        )
        return opener.open(pick_browser(browser), url, sites=sites)


def runs_program_of(pid: int, program: str) -> bool:
    """Whether process ``pid`` runs ``program`` (a path on PATH): the same file once links are followed, or
    a file beside it (a wrapper script next to its binary: LibreOffice's `soffice` runs `soffice.bin`), but
    not merely another program of a shared folder such as /usr/bin."""
    if not program or pid <= 0:
        return False
    try:
        running = Path(str(psutil.Process(pid).exe())).resolve()
    except (psutil.Error, OSError):
        return False
    wanted = Path(program).resolve()
    return running == wanted or (running.parent == wanted.parent and not _shared_folder(wanted.parent))


def _shared_folder(folder: Path) -> bool:
    """A folder of many unrelated programs (PATH's, /usr/libexec): being beside one proves nothing."""
    shared = {Path(p).resolve() for p in os.environ.get("PATH", "").split(os.pathsep) if p}
    return folder in shared | {Path("/usr/bin"), Path("/bin"), Path("/usr/libexec"), Path("/usr/local/bin")}


def _run_detached(argv: list[str]) -> None:
    """Run ``argv`` with this process's environment, its output dropped (no starter: the person's desktop)."""
    subprocess.Popen(argv, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
