"""The browser's own network guard: requests from deskhand's browser to origins outside the policy never leave it.

The guard judges every action by its destination before it happens; this is the second wall, for whatever the
first one misses (a suggestion picked in the address bar, a page's script, a worker, a redirect, a form whose
action changed): the browser itself refuses to send the request.

Chromium: one CDP connection to the *browser* target with ``Fetch.enable`` (measured on Chromium 156: a
browser-level Fetch session pauses the requests of every tab, popup, iframe and worker, navigations
included). Each paused request is continued when ``allows(url)`` says so and failed with ``BlockedByClient``
otherwise, on a thread of its own, so a busy or waiting deskhand never holds the browser up. WebSockets do not
pass the Fetch domain, so every document response gets one more ``Content-Security-Policy: connect-src`` header
listing only the allowed origins (a second policy can only narrow what the page's own allows), which the
browser enforces on WebSocket, fetch, XHR, EventSource and beacons, in the page and in workers it makes from
blobs. Chromium applies a CSP header only from a response handed over whole (``Fetch.fulfillRequest``), not from
edited headers (``continueResponse``): measured, the WebSocket got through with the latter.

Another browser plugs in behind :class:`NetworkGuard` (Firefox: WebDriver BiDi ``network.addIntercept`` +
``network.failRequest``).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import httpx
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from deskhand.errors import BackendUnavailable

# Schemes that never reach the network: the browser's own pages, and content the page already holds.
LOCAL_SCHEMES = frozenset({"about", "data", "blob", "chrome", "chrome-untrusted", "devtools", "chrome-error"})
_CONNECT_TIMEOUT_S = 5.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PATTERNS = [
    {"urlPattern": "*", "requestStage": "Request"},
    {"urlPattern": "*", "resourceType": "Document", "requestStage": "Response"},
]


class NetworkGuard(Protocol):
    """Keeps one browser from reaching origins the policy does not allow, whoever asks it to."""

    @property
    def refused(self) -> list[str]:
        """The URLs refused so far (for the run record)."""
        ...

    def close(self) -> None: ...


def is_local(url: str) -> bool:
    return url.split(":", 1)[0].casefold() in LOCAL_SCHEMES


class ChromiumNetworkGuard:
    """CDP Fetch interception on the browser target of the Chromium at ``endpoint`` (``http://127.0.0.1:PORT``).

    ``allows(url)`` is asked for every request (read the live policy there: it may change between runs);
    ``connect_sources()`` gives the CSP sources for WebSockets and friends; ``on_refused(url)`` hears of each
    refusal."""

    def __init__(
        self,
        endpoint: str,
        allows: Callable[[str], bool],
        connect_sources: Callable[[], Sequence[str]],
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._allows = allows
        self._sources = connect_sources
        self._on_refused = on_refused
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._refused: list[str] = []
        self._stack = contextlib.ExitStack()
        try:
            version = httpx.get(f"{endpoint}/json/version", timeout=_CONNECT_TIMEOUT_S, trust_env=False).json()
            self._socket: ClientConnection = self._stack.enter_context(
                connect(version["webSocketDebuggerUrl"], max_size=None, open_timeout=_CONNECT_TIMEOUT_S)
            )
        except (httpx.HTTPError, ValueError, KeyError, OSError, WebSocketException, TimeoutError) as error:
            raise BackendUnavailable(
                f"Cannot guard the browser's network at {endpoint}: {error}.",
                hint="deskhand starts Chromium with a debugging port; a browser without one cannot be guarded.",
            ) from None
        enabled = threading.Event()
        self._waiting: dict[object, Callable[[dict[str, Any]], None]] = {}
        enable_id = next(self._ids)
        self._waiting[enable_id] = lambda reply: enabled.set() if "error" not in reply else None
        self._thread = threading.Thread(target=self._serve, name="deskhand-network-guard", daemon=True)
        self._thread.start()
        with self._send_lock:
            self._socket.send(
                json.dumps({"id": enable_id, "method": "Fetch.enable", "params": {"patterns": _PATTERNS}})
            )
        if not enabled.wait(_CONNECT_TIMEOUT_S):
            self.close()
            raise BackendUnavailable(f"Chromium at {endpoint} did not turn on request interception.")

    @property
    def refused(self) -> list[str]:
        return list(self._refused)

    def close(self) -> None:
        with contextlib.suppress(OSError, WebSocketException):
            self._stack.close()

    # ---- the reader thread ------------------------------------------------------------------------------------
    def _send(self, method: str, params: dict[str, Any]) -> int:
        call_id = next(self._ids)
        with self._send_lock, contextlib.suppress(OSError, WebSocketException):
            self._socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        return call_id

    def _serve(self) -> None:
        while True:
            try:
                message = json.loads(self._socket.recv())
            except (OSError, WebSocketException, ValueError):
                return  # the browser or this guard closed
            answered = self._waiting.pop(message.get("id"), None) if "id" in message else None
            if answered is not None:
                answered(message)
            elif message.get("method") == "Fetch.requestPaused":
                self._decide(message.get("params", {}))

    def _decide(self, paused: dict[str, Any]) -> None:
        request_id = paused.get("requestId")
        url = str(paused.get("request", {}).get("url", ""))
        try:
            allowed = is_local(url) or self._allows(url)
        except Exception:  # a policy that cannot answer refuses
            allowed = False
        if not allowed:
            self._refused.append(url)
            self._send("Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"})
            if self._on_refused is not None:
                with contextlib.suppress(Exception):
                    self._on_refused(url)
        elif "responseStatusCode" in paused and paused.get("responseStatusCode") not in _REDIRECTS:
            # A document's response: fetch its body, then hand it over with the connect-src policy added
            # (Chromium applies a CSP header only from a fulfilled response, not from continueResponse).
            call_id = next(self._ids)
            self._waiting[call_id] = lambda reply: self._fulfil(paused, reply)
            with self._send_lock, contextlib.suppress(OSError, WebSocketException):
                message = {"id": call_id, "method": "Fetch.getResponseBody", "params": {"requestId": request_id}}
                self._socket.send(json.dumps(message))
        else:
            self._send("Fetch.continueRequest", {"requestId": request_id})

    def _fulfil(self, paused: dict[str, Any], reply: dict[str, Any]) -> None:
        request_id = paused.get("requestId")
        result = reply.get("result")
        if not isinstance(result, dict):
            self._send("Fetch.continueRequest", {"requestId": request_id})
            return
        body = result.get("body", "")
        if not result.get("base64Encoded"):
            body = base64.b64encode(str(body).encode("utf-8")).decode("ascii")
        headers = list(paused.get("responseHeaders") or [])
        sources = " ".join(self._sources()) or "'none'"
        headers.append({"name": "Content-Security-Policy", "value": f"connect-src {sources}"})
        fulfil = {
            "requestId": request_id,
            "responseCode": paused.get("responseStatusCode", 200),
            "responseHeaders": headers,
            "body": body,
        }
        if paused.get("responseStatusText"):
            fulfil["responsePhrase"] = paused["responseStatusText"]
        self._send("Fetch.fulfillRequest", fulfil)
