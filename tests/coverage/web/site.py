"""A loopback server for the coverage page: serves this folder and keeps what the page reports to /event."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass
class Site:
    base: str = ""
    events: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, page: str) -> str:
        return f"{self.base}/{page}"

    def output(self) -> list[str]:
        with self.lock:
            return list(self.events)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, directory=str(HERE), **kwargs)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        json.loads(body)  # the page sends JSON; anything else is a bug in the page
        with self.site.lock:
            self.site.events.append(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, site=site))
    host, port = server.server_address[:2]
    site.base = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, name="coverage-page", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
