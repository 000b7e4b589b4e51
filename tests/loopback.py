"""What every loopback web server in the tests shares: serving a handler on a free 127.0.0.1 port in a thread
for the life of a ``with`` block, and answering with a page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """The server's base address (``http://HOST:PORT``, no trailing slash), addressed by ``host``: it binds
    127.0.0.1 either way, and ``localhost`` and ``127.0.0.1`` are different origins for a browser."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="loopback-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def send_page(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    """A 200 answer carrying ``body`` as an HTML page."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
