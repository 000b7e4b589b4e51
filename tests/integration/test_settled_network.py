"""Failing fast knows a browser's pending requests (issue 13 item 4), on real Chromium over CDP.

A button's handler fetches from a slow endpoint and shows the answer only when it comes; the DOM and the
accessibility tree stay quiet meanwhile and the document is long loaded (readyState "complete"). A step
that did not ask to wait must still not call that screen settled while the request is in flight: the
expectation is met when the answer lands, and a target that never comes fails fast only after the server
answered (the server records the order)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from tests.integration.chromium_desktop import chromium_on_desktop

from deskhand.errors import NoMatch
from deskhand.runner.settle import QUIET_S
from deskhand.runner.steps import StepContext, StepRunner
from deskhand.workflows import actions as a

pytestmark = pytest.mark.desktop

# The slow backend answers after several quiet windows: a screen judged by its tree alone settles first.
ANSWER_AFTER_S = 4 * QUIET_S

PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Orders</title></head><body>
<h1>Orders</h1><button onclick="load()">Load orders</button><p id="out"></p>
<script>
function load() {
  fetch('/orders', {method: 'POST', body: 'page=1'}).then(r => r.text())
    .then(t => { document.getElementById('out').textContent = t; });
}
</script></body></html>"""


class Backend:
    """The slow server: keeps the order of what happened (request in, answer out)."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.lock = threading.Lock()

    def note(self, what: str) -> None:
        with self.lock:
            self.events.append(what)


@pytest.fixture
def site() -> Iterator[tuple[str, Backend]]:
    backend = Backend()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._send(PAGE)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            backend.note("asked")
            time.sleep(ANSWER_AFTER_S)  # the slow backend itself, not a wait in the test
            self._send(b"Loaded 3 orders")
            backend.note("answered")

        def _send(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", backend
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def steps(site: tuple[str, Backend]) -> Iterator[StepRunner]:
    url, _ = site
    with chromium_on_desktop(url, timeout=15.0) as (_, _, desk, app):
        desk.app(app.name).get_by_role("button", name="Load orders").wait_for()
        ctx = StepContext(desk, {}, lambda name: name, lambda url, browser="": url, timeout=30.0)
        ctx.current_app = app.name
        yield StepRunner(ctx)


def test_an_answer_still_in_flight_is_waited_for(steps: StepRunner, site: tuple[str, Backend]) -> None:
    _, backend = site
    steps.run(a.Click(a.Target("Load orders")))
    steps.run(a.ExpectText("Loaded 3 orders", present=True))  # did not ask to wait; the fetch was pending
    assert backend.events == ["asked", "answered"]


def test_a_target_that_never_comes_fails_fast_only_after_the_answer(
    steps: StepRunner, site: tuple[str, Backend]
) -> None:
    _, backend = site
    steps.run(a.Click(a.Target("Load orders")))
    with pytest.raises(NoMatch, match="the screen settled with nothing changing"):
        steps.run(a.Click(a.Target("Next page")))
    backend.note("step failed")
    assert backend.events == ["asked", "answered", "step failed"]
