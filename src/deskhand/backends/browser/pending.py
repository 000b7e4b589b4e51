"""The requests a tab has in flight, from CDP's Network events: a page that is still fetching may yet show
what a step looks for, so the runner does not call its screen settled (runner/settle.py).

``document.readyState`` ends with the document's load; a fetch or XHR the page sends after it (a button's
handler, a search box's suggestions) is only visible to the network layer. Streams that never finish by
design (EventSource) are not counted; anything else pending holds off the early failure, which then falls
back to the step's timeout: never a failure while an answer may still come."""

from __future__ import annotations

from typing import Any

_NEVER_ENDS = frozenset({"EventSource"})


class PendingRequests:
    """A CDP session listener (``CdpSession.on_event``) keeping the ids of unfinished requests."""

    def __init__(self) -> None:
        self._open: dict[str, str] = {}  # request id -> loader id (its document)

    def __len__(self) -> int:
        return len(self._open)

    def on_event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Network.requestWillBeSent":
            if params.get("type") not in _NEVER_ENDS:
                # A redirect is sent again under the same id: still one request.
                self._open[str(params.get("requestId"))] = str(params.get("loaderId", ""))
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self._open.pop(str(params.get("requestId")), None)
        elif method == "Page.frameNavigated":
            frame = params.get("frame") or {}
            if not frame.get("parentId"):
                # A new main document: what the old one had in flight went with it, finished or not.
                loader = str(frame.get("loaderId", ""))
                self._open = {rid: lid for rid, lid in self._open.items() if lid == loader}
