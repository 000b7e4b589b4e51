"""A loopback web server for the changed-app suite: it serves each app at the version it is set to and keeps
every POST body (the outside evidence of what a workflow submitted)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.changed import pages


@dataclass
class Site:
    base: str = ""
    versions: dict[str, int] = field(default_factory=lambda: {"signup": 1, "tools": 1})
    posts: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)  # (path, parsed body)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, app: str) -> str:
        return f"{self.base}/{app}"

    def take_posts(self) -> list[tuple[str, dict[str, list[str]]]]:
        with self._lock:
            taken, self.posts[:] = list(self.posts), []
        return taken

    def page(self, path: str) -> str | None:
        if path == "/signup":
            return pages.signup(self.versions["signup"])
        if path == "/thanks":
            return pages.thanks()
        if path == "/tools":
            return pages.tools(self.versions["tools"])
        return None


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = site.page(self.path.split("?")[0])
            if page is None:
                self.send_error(404)
                return
            self._send(200, page.encode("utf-8"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            with site._lock:
                site.posts.append((self.path, parse_qs(body, keep_blank_values=True)))
            if self.path == "/signup":
                self.send_response(303)
                self.send_header("Location", "/thanks")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(200, b"ok")

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    host, port = server.server_address[:2]
    site.base = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, name="changed-apps", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
