"""Loopback web servers for the policy tests: an allowed site and an off-list "partner" that logs requests.

Both bind 127.0.0.1; the allowed one is addressed as ``127.0.0.1``, the other as ``localhost``, so they are
different origins. ``PARTNER`` in a page is replaced by the off-list site's address.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.loopback import send_page, serving

PAGES = Path(__file__).resolve().parent / "pages"


@dataclass
class Site:
    base: str = ""
    partner: str = ""
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, body)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def url(self, page: str) -> str:
        return f"{self.base}/{page}"

    def log(self, request: tuple[str, str, str]) -> None:
        with self.arrived:
            self.requests.append(request)
            self.arrived.notify_all()

    def wait_for_posts(self, count: int, timeout: float = 60.0) -> list[tuple[str, str, str]]:
        """The POSTs once there are ``count`` of them (woken by each arrival), or as they are at the timeout."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.posts) >= count, timeout)
            return self.posts

    @property
    def posts(self) -> list[tuple[str, str, str]]:
        return [r for r in self.requests if r[0] == "POST"]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.log(("GET", self.path, ""))
            page = PAGES / (self.path.split("?")[0].lstrip("/") or "contact.html")
            if not page.is_file():
                self.send_error(404)
                return
            send_page(self, page.read_text(encoding="utf-8").replace("PARTNER", site.partner).encode("utf-8"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            site.log(("POST", self.path, self.rfile.read(length).decode("utf-8")))
            self.send_response(303)
            self.send_header("Location", "/saved.html")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def serve(host_name: str = "127.0.0.1", partner: str = "") -> Iterator[Site]:
    site = Site(partner=partner)
    with serving(_handler(site), host_name) as site.base:
        yield site


@contextmanager
def allowed_and_partner() -> Iterator[tuple[Site, Site]]:
    with serve("localhost") as partner, serve("127.0.0.1", partner=partner.base) as allowed:
        yield allowed, partner
