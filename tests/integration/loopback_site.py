"""A loopback web site for the browser tests: every path answered with a page of the test's choosing; the
paths asked and the bodies posted are kept in order (the outside evidence the tests check)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import send_page, serving

PageFor = Callable[[str], bytes]
# One field and a button that posts the field's text (what reached the page is what the site was sent).
POSTING_FORM = (
    b"<!doctype html><title>Wayland form</title><label>Name <input name=n></label>"
    b"<button onclick=\"fetch('/post',{method:'POST',body:document.querySelector('input').value})\">Send</button>"
)


@dataclass
class Site:
    url: str  # no trailing slash: ``site.url + "/form"``
    asked: list[str] = field(default_factory=list)  # every GET's path
    posts: list[str] = field(default_factory=list)  # every POST's body


def titled_by_path(path: str) -> bytes:
    """A page whose title is its path, and a heading naming it: where the browser went shows in its title."""
    return f"<!doctype html><title>{path}</title><h1>Page {path.strip('/')}</h1>".encode()


@contextmanager
def loopback_site(page: bytes | PageFor = titled_by_path, *, host: str = "127.0.0.1") -> Iterator[Site]:
    """Serve ``page`` (the same bytes for every path, or a page per path) on a free loopback port, addressed by
    ``host`` (``localhost`` and ``127.0.0.1`` are different origins). A POST's body is kept; it is answered 204."""
    site = Site("")
    answer: PageFor = page if callable(page) else (lambda path: page)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.asked.append(self.path)
            send_page(self, answer(self.path))

        def do_POST(self) -> None:
            site.posts.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode())
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    with serving(Handler, host) as site.url:
        yield site
