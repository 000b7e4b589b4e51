"""A small Chrome DevTools Protocol client: one websocket per page target, synchronous calls.

deskhand's core is synchronous, and a page is read with one call, so a blocking client is the simple and
fast fit (``websockets.sync``). Chromium's endpoint is found from the browser's own command line
(``--remote-debugging-port``, or the DevToolsActivePort file when the port was 0). CDP and socket errors
become deskhand errors here, at the seam.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from deskhand.errors import BackendError, BackendUnavailable, NodeGone, UnexpectedDialog

CALL_TIMEOUT_S = 10.0
# Connecting is the kernel's business (a browser that is gone refuses at once); an answer, the tab listing and a
# websocket's handshake included, comes from Chromium's UI thread like any command's, so it gets a call's time.
# Measured at load ~25 on 2 cores: the listing unanswered after 2.1 s while the UI thread stayed runnable (not
# blocked) and got 60-70 ms of CPU, the DevTools thread waiting on it.
CONNECT_TIMEOUT_S = 2.0
PORT_FLAG = "--remote-debugging-port="
PROFILE_FLAG = "--user-data-dir="


class CdpError(BackendError):
    """CDP answered a call with an error; ``code`` and ``text`` are CDP's."""

    def __init__(self, method: str, code: int, text: str) -> None:
        super().__init__(f"Chromium refused {method}: {text} ({code}).", hint="Take a fresh snapshot and retry.")
        self.code = code
        self.text = text


@dataclass(frozen=True, slots=True)
class Target:
    """One page (tab) Chromium offers for debugging."""

    id: str
    title: str
    url: str
    websocket_url: str


def endpoint_from_cmdline(cmdline: list[str]) -> str | None:
    """``http://127.0.0.1:PORT`` from a Chromium command line, or None when it has no debugging port."""
    port = next((arg.removeprefix(PORT_FLAG) for arg in cmdline if arg.startswith(PORT_FLAG)), None)
    if port is None:
        return None
    if port == "0":
        # Chromium picked a free port and wrote it in the profile's DevToolsActivePort file.
        profile = next((arg.removeprefix(PROFILE_FLAG) for arg in cmdline if arg.startswith(PROFILE_FLAG)), "")
        try:
            port = (Path(profile) / "DevToolsActivePort").read_text().split()[0]
        except (OSError, IndexError):
            return None
    return f"http://127.0.0.1:{port}" if port.isdigit() else None


class CdpBrowser:
    """The debugging endpoint of one Chromium: its page targets, and a session per target."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        timeout = httpx.Timeout(CALL_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
        self._http = httpx.Client(base_url=endpoint, timeout=timeout, trust_env=False)
        self._sessions: dict[str, CdpSession] = {}

    def pages(self) -> list[Target]:
        try:
            listing: list[dict[str, Any]] = self._http.get("/json/list").json()
        except (httpx.HTTPError, ValueError) as error:
            raise BackendUnavailable(
                f"Chromium's debugging endpoint {self.endpoint} did not answer: {error}.",
                hint="Start Chromium with --remote-debugging-port (deskhand does when it opens the browser).",
            ) from None
        return [
            Target(item["id"], item.get("title", ""), item.get("url", ""), item["webSocketDebuggerUrl"])
            for item in listing
            if item.get("type") == "page" and "webSocketDebuggerUrl" in item
        ]

    def session(self, target: Target) -> CdpSession:
        session = self._sessions.get(target.id)
        if session is None or session.closed:
            session = CdpSession(target)
            self._sessions[target.id] = session
        return session

    def session_by_id(self, target_id: str) -> CdpSession:
        session = self._sessions.get(target_id)
        if session is not None and not session.closed:
            return session
        for target in self.pages():
            if target.id == target_id:
                return self.session(target)
        raise NodeGone(f"The browser tab {target_id} is closed.", hint="Take a fresh snapshot.")

    def open_dialog_messages(self) -> list[str]:
        """The messages of the JavaScript dialogs open in its tabs (as of the events taken in so far)."""
        return [str(s.dialog.get("message", "")) for s in self._sessions.values() if s.dialog is not None]

    def dialog_since(self) -> float | None:
        """When the JavaScript dialog open in one of its tabs opened (time.monotonic()), or None."""
        opened: list[float] = []
        for session in list(self._sessions.values()):
            if session.closed:
                continue
            with contextlib.suppress(NodeGone):
                session.drain()
            if session.dialog is not None:
                opened.append(session.dialog_since)
        return min(opened) if opened else None

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()
        self._http.close()


class CdpSession:
    """A websocket to one page target; ``call`` sends a command and waits for its answer."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._stack = contextlib.ExitStack()
        try:
            # Entered as a context manager, as websockets asks; closed through the stack in close().
            self._socket: ClientConnection = self._stack.enter_context(
                connect(target.websocket_url, max_size=None, compression=None, open_timeout=CALL_TIMEOUT_S)
            )
        except (OSError, WebSocketException, TimeoutError) as error:
            raise BackendUnavailable(
                f"Cannot open the debugging socket of tab {target.title!r}: {error}.",
                hint="Another debugger may hold the tab; close DevTools and retry.",
            ) from None
        self.closed = False
        self._listeners: list[Callable[[str, dict[str, Any]], None]] = []
        # The page's JavaScript dialog (alert, confirm, prompt, beforeunload) while one is open: the page
        # answers nothing until it is closed, so no call waits for it (PLATFORM-NOTES).
        self.dialog: dict[str, Any] | None = None
        self.dialog_since = 0.0  # time.monotonic() when it opened
        # The page's file chooser while one waits (Page.fileChooserOpened): answered in the page, since
        # Chromium's own dialog is not on AT-SPI.
        self.file_chooser: dict[str, Any] | None = None
        with contextlib.suppress(BackendError):
            self.call("Page.enable")  # for Page.javascriptDialogOpening / Closed
            self.call("Page.setInterceptFileChooserDialog", {"enabled": True})

    def on_event(self, listener: Callable[[str, dict[str, Any]], None]) -> None:
        """Have ``listener(method, params)`` told of each event (called under the session's lock: it must
        not call the session)."""
        self._listeners.append(listener)

    def drain(self) -> None:
        """Take in the events that arrived since the last call, without waiting for more."""
        with self._lock:
            while True:
                try:
                    raw = self._socket.recv(0)
                except TimeoutError:
                    return
                except (OSError, WebSocketException) as error:
                    self.close()
                    raise NodeGone(f"The browser tab {self.target.title!r} closed ({error}).") from None
                self._dispatch(json.loads(raw))

    def _dispatch(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method == "Page.javascriptDialogOpening":
            self.dialog = dict(message.get("params", {}))
            self.dialog_since = time.monotonic()
        elif method == "Page.javascriptDialogClosed":
            self.dialog = None
        elif method == "Page.fileChooserOpened":
            self.file_chooser = dict(message.get("params", {}))
        if method:
            for listener in self._listeners:
                listener(str(method), message.get("params", {}))

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = CALL_TIMEOUT_S) -> Any:
        """Send a command and wait for its answer; UnexpectedDialog at once while (or as soon as) the page
        shows a JavaScript dialog, whose answer would not come until a person closes it."""
        if self.dialog is not None:
            self.drain()  # it may have closed since
        with self._lock:
            if self.dialog is not None and method != "Page.handleJavaScriptDialog":
                raise self._dialog_error()
            call_id = next(self._ids)
            try:
                self._socket.send(json.dumps({"id": call_id, "method": method, "params": params or {}}))
                while True:
                    message = json.loads(self._socket.recv(timeout))
                    if message.get("id") == call_id:
                        break
                    self._dispatch(message)
                    if self.dialog is not None and method != "Page.handleJavaScriptDialog":
                        raise self._dialog_error()  # its answer comes after the dialog closes: ignored then
            except TimeoutError:
                raise BackendError(
                    f"Chromium did not answer {method} within {timeout:.0f} s.",
                    hint="The page may be busy (a script loop, or an alert() waiting).",
                ) from None
            except (OSError, WebSocketException) as error:
                self.close()
                raise NodeGone(f"The browser tab {self.target.title!r} closed ({error}).") from None
        if "error" in message:
            failure = message["error"]
            raise CdpError(method, int(failure.get("code", 0)), str(failure.get("message", "")))
        return message.get("result", {})

    def _dialog_error(self) -> UnexpectedDialog:
        dialog = self.dialog or {}
        kind = str(dialog.get("type", "alert"))
        text = str(dialog.get("message", ""))
        return UnexpectedDialog(
            f"The page {self.target.title!r} shows a JavaScript {kind}: {text!r}.",
            hint="Answer it (its OK or Cancel button) with a step before this one.",
            dialog=kind,
        )

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError, WebSocketException):
            self._stack.close()
