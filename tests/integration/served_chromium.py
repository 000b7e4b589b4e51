"""A Chromium for a test, started as deskhand starts it: on debugging port 0 (the browser binds a free port
itself and names it in its profile's DevToolsActivePort), handed back once that process listens there.

A port picked by the test before the browser starts can be taken by another process meanwhile (other desktops'
browsers, consoles, sinks on a loaded machine); the browser then runs without a debugging server and its
command line names a port another process serves.
"""

from __future__ import annotations

from collections.abc import Sequence

from deskhand.backends.browser.endpoint import await_served_endpoint
from deskhand.sandbox import LaunchedApp, VirtualDesktop


def launch_served_chromium(
    desk: VirtualDesktop, url: str, *, extra_args: Sequence[str] = (), timeout: float = 30.0
) -> tuple[LaunchedApp, str]:
    """Chromium on ``url`` on ``desk`` and its debugging endpoint (``http://127.0.0.1:PORT``), once it serves it:
    whatever reads the command line from then on (a deskhand process, the composite backend) finds the port."""
    app = desk.launch_chromium(url, remote_debugging_port=0, extra_args=extra_args, timeout=timeout)
    endpoint = await_served_endpoint(app.pid, timeout)
    assert endpoint is not None, f"Chromium (pid {app.pid}) did not open a debugging port within {timeout:g} s"
    return app, endpoint
