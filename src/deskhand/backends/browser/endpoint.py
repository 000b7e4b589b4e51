"""The debugging endpoint a Chromium process really serves: the port its command line names (or, for port 0,
the one it wrote in its profile's DevToolsActivePort), once that very process listens on it.

A port picked before the browser starts can be taken by another browser meanwhile (two desktops starting
Chromium at once were both given 56599 in a CI run): the second cannot bind it, runs without a debugging
server, and its command line then names the first one's. deskhand starts Chromium on port 0 (the browser
binds a free port itself) and trusts an endpoint only once the process is seen listening on it.
"""

from __future__ import annotations

import time

import psutil

from deskhand.backends.browser.cdp import endpoint_from_cmdline


def served_endpoint(pid: int) -> str | None:
    """``http://127.0.0.1:PORT`` of the Chromium process ``pid`` when it listens on its debugging port; None
    while it does not (yet), when it has none, or when the process is gone."""
    try:
        process = psutil.Process(pid)
        endpoint = endpoint_from_cmdline(process.cmdline())
        if endpoint is None:
            return None
        listening = {c.laddr.port for c in process.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN}
    except (psutil.Error, OSError):
        return None
    return endpoint if int(endpoint.rsplit(":", 1)[1]) in listening else None


def await_served_endpoint(pid: int, timeout: float) -> str | None:
    """:func:`served_endpoint` once the Chromium ``pid`` listens on its debugging port, polled until
    ``timeout`` seconds have passed (None then): nothing announces the port being bound but the socket."""
    deadline = time.monotonic() + timeout
    while (endpoint := served_endpoint(pid)) is None:
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)
    return endpoint
