"""Opening a page: in a browser already on the desktop, or in one deskhand starts, and saying which.

- A browser of the wanted kind already has a window: deskhand types the address into its address bar.
  A Chromium started with ``--remote-debugging-port`` is read over CDP (attached); one without is read
  over AT-SPI alone. Firefox is read over AT-SPI (docs/perception-decisions.md).
- Else deskhand starts one: on a desktop of its own with its flags and a throw-away profile; on the
  person's desktop with a profile of its own under deskhand's data folder. Chromium's debugging port is
  on loopback only (Chromium binds 127.0.0.1 for it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psutil

from deskhand.app.site_block import pac_for
from deskhand.backends.base import AppInfo
from deskhand.backends.browser.cdp import CdpBrowser, endpoint_from_cmdline
from deskhand.backends.browser.endpoint import await_served_endpoint
from deskhand.backends.browser.flags import READER_FLAGS, reads_pages
from deskhand.backends.browser.page_refs import REF_PREFIX
from deskhand.errors import (
    ActionFailed,
    BackendUnavailable,
    DeskhandError,
    LocatorError,
    LocatorTimeout,
    NoMatch,
    SandboxError,
)
from deskhand.locate.desktop import Desktop
from deskhand.locate.waiting import retry_until
from deskhand.sandbox.browsers import SPECS, BrowserKind, find_browser
from deskhand.sandbox.starters import AppStarter
from deskhand.tree.roles import Role

# The address bar as each browser names it on the accessibility bus (words the name contains). Firefox
# names it "Search or enter address" until its default search engine is known, then "Search with Google or
# enter address" (measured on firefox-esr 153: the second Open in a running Firefox found no bar).
ADDRESS_BARS: dict[BrowserKind, tuple[str, str]] = {
    "chromium": ("textbox", "Address and search bar"),
    "firefox": ("combobox", "or enter address"),
}


@dataclass(frozen=True)
class ShownDocuments:
    """What tells the documents a browser shows apart: the nonces of pages read over CDP, the refs of
    Chromium's document nodes."""

    nonces: frozenset[str]
    documents: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.nonces or self.documents)

    def left_for(self, now: ShownDocuments) -> bool:
        """Whether ``now`` shows a document these did not, told by the same mark: a page read over CDP by
        its nonce, else by its document node. A nonce now against document nodes then (the page was
        between two reads when these were taken) says nothing: it may be the old page's, read at last."""
        if self.nonces:
            return bool(now.nonces - self.nonces)
        return bool(now.documents - self.documents)


@dataclass
class BrowserOpener:
    desktop: Desktop
    starter: AppStarter | None
    say: Callable[[str], None]
    timeout: float = 30.0
    # Guards a Chromium's network (by its debugging endpoint) before it loads anything deskhand asks for.
    guard_network: Callable[[str], None] | None = None

    def open(self, kind: BrowserKind, url: str, *, sites: Sequence[str] = ()) -> str:
        """Show ``url`` in a ``kind`` browser; the browser's app name. ``sites`` limits what a browser
        deskhand starts may load at all (Firefox: a proxy script in its profile; see app/site_block.py)."""
        running = self.running(kind)
        if running is not None:
            self.say(describe_running(kind, running))
            endpoint = _endpoint_of(running) if kind == "chromium" else None
            if endpoint is not None and self.guard_network is not None:
                self.guard_network(endpoint)
            self._navigate(kind, running, url)
            return running.name
        if self.starter is None:
            raise SandboxError(
                f"No {SPECS[kind].label} is open and deskhand has no desktop to start one on.",
                hint=f"Start {SPECS[kind].label} yourself, or run on a desktop deskhand started (--desktop virtual).",
            )
        find_browser(kind)  # not installed: one line naming the package, before anything starts
        # A guarded Chromium starts blank: its network guard is in place before the first request.
        guarded = kind == "chromium" and self.guard_network is not None
        launched = self.starter.launch_browser(
            kind,
            "about:blank" if guarded else url,
            # Port 0: Chromium binds a free port itself. A port picked here could be taken by another
            # browser before this one binds it (two desktops' Chromiums were both given 56599 in a CI run).
            remote_debugging_port=0 if kind == "chromium" else None,
            extra_args=READER_FLAGS if kind == "chromium" else (),
            timeout=self.timeout,
            pac_script=pac_for(sites) if kind == "firefox" and sites else None,
        )
        name = launched.name or SPECS[kind].label
        endpoint = self._served_endpoint(name, launched.pid) if kind == "chromium" else ""
        if guarded and self.guard_network is not None:
            self.guard_network(endpoint)
            if url != "about:blank":
                # As a person would, and as with a browser already open (a CDP Page.navigate from a blank
                # start leaves the blank document in the accessibility tree as a second page).
                self._navigate(kind, self.desktop.wait_for_app(name, timeout=self.timeout), url)
        where = "its own desktop" if self.starter.owned else "your desktop"
        if kind == "chromium":
            port = endpoint.removeprefix("http://")
            self.say(f"started {name} on {where} (debugging port {port}; pages read over CDP)")
        else:
            self.say(f"started {name} on {where} (pages read over AT-SPI)")
        return name

    def _served_endpoint(self, name: str, pid: int) -> str:
        """The debugging endpoint the Chromium just started serves, once it listens on it (it writes the port
        it bound in its profile's DevToolsActivePort; a file left by an earlier run names a port it does not)."""
        endpoint = await_served_endpoint(pid, self.timeout)
        if endpoint is None:
            raise SandboxError(
                f"{name} did not open its debugging port within {self.timeout:g} s of starting.",
                hint="Check its log in the desktop's logs folder; another Chromium may hold its profile.",
            )
        return endpoint

    def running(self, kind: BrowserKind) -> AppInfo | None:
        label = SPECS[kind].label.casefold()
        found = [app for app in self.desktop.apps() if app.name.casefold() == label and app.windows]
        return found[-1] if found else None

    def _navigate(self, kind: BrowserKind, browser: AppInfo, url: str) -> None:
        """Type the address into the address bar and press Enter, as a person would; the bar must hold the
        address, read back, when Enter goes (else nothing is pressed and the step says what it holds)."""
        role, name = ADDRESS_BARS[kind]
        bar = self.desktop.app(browser.name).get_by_role(role, name=name).first
        before = self._documents(kind, browser)
        # No Escape first: keys reach the browser after the calls that follow them (an Escape taken after the
        # fill's focus moved the focus to the page), and the fill selects and replaces whatever the bar holds.
        # The fill returns once the bar took every key in (a bar that completes shows the address early).
        resolved = bar.fill(url)
        held = (self.desktop.backend.refresh(resolved.ref).value or "").strip()
        if held != url.strip():
            raise ActionFailed(
                f"{browser.name}'s address bar holds {held!r}, not {url!r}: Enter was not pressed.",
                hint="The browser changed the address after it was typed (a suggestion of its own, or keys it lost).",
            )
        self.desktop.press("Enter")
        if before:
            self._wait_for_new_document(kind, browser, before)

    def _documents(self, kind: BrowserKind, browser: AppInfo) -> ShownDocuments:
        """The documents the browser's pages show now: by the per-document nonce in their refs (pages read
        over CDP) and by the refs of its document nodes (measured in Chromium and Firefox: each page loaded, the
        same address again included, is a new accessible); empty when neither is known."""
        try:
            root = self.desktop.snapshot(browser.name)
        except DeskhandError:
            return ShownDocuments(frozenset(), frozenset())
        nonces = frozenset(
            node.ref.partition("|")[2].partition(".")[0] for node in root.walk() if node.ref.startswith(REF_PREFIX)
        )
        return ShownDocuments(nonces, frozenset(node.ref for node in root.walk() if node.role == Role.DOCUMENT))

    def _wait_for_new_document(self, kind: BrowserKind, browser: AppInfo, before: ShownDocuments) -> None:
        """Until the tab shows the new document: the next step must not act on the page it is leaving (the
        same form at the same address looks identical, and what is typed there is lost)."""

        def attempt() -> None:
            if not before.left_for(self._documents(kind, browser)):
                raise NoMatch(f"{browser.name} has not left the page it showed yet.")

        def on_timeout(last: LocatorError | None) -> Exception:
            return LocatorTimeout(
                f"{browser.name} did not show a new page within {self.timeout:g} s of Enter in its address bar.",
                hint="Check the address, or that the site answers.",
            )

        retry_until(self.desktop.backend, attempt, timeout=self.timeout, on_timeout=on_timeout)


def _endpoint_of(browser: AppInfo) -> str | None:
    try:
        return endpoint_from_cmdline(psutil.Process(browser.pid).cmdline()) if browser.pid > 0 else None
    except (psutil.Error, OSError):
        return None


def describe_running(kind: BrowserKind, browser: AppInfo) -> str:
    """Which way deskhand reads a browser it did not start; SandboxError when it cannot use it at all."""
    label = SPECS[kind].label
    try:
        cmdline = psutil.Process(browser.pid).cmdline() if browser.pid > 0 else []
    except (psutil.Error, OSError):
        cmdline = []
    if kind == "firefox":
        return f"using the {label} already open (pid {browser.pid}); pages read over AT-SPI"
    endpoint = endpoint_from_cmdline(cmdline)
    if endpoint is None:
        return f"using the {label} already open (pid {browser.pid}); no debugging port, so pages are read over AT-SPI"
    probe = CdpBrowser(endpoint)
    try:
        probe.pages()
    except BackendUnavailable:
        raise SandboxError(
            f"The {label} already open (pid {browser.pid}) has a debugging port ({endpoint}) that does not answer.",
            hint=f"Close that {label} (deskhand then starts its own), or restart it with --remote-debugging-port=0.",
        ) from None
    finally:
        probe.close()
    if not reads_pages(cmdline):
        return (
            f"attached to the {label} already open (pid {browser.pid}, {endpoint}); it lacks "
            f"{READER_FLAGS[0]}, so pages are read over AT-SPI"
        )
    return f"attached to the {label} already open (pid {browser.pid}) over CDP at {endpoint}"
