"""Serving the demo CRM on loopback from a background thread, and ``python -m deskhand.demo.server``."""

from __future__ import annotations

import argparse
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from deskhand.demo.book import ContactBook
from deskhand.demo.contacts import Contact
from deskhand.demo.crm import CrmApp, Response
from deskhand.errors import SandboxError

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765  # the port `python -m deskhand.demo.server` uses and the workflows' default crm_url
_MAX_BODY = 1 << 20
# The CRM loads nothing from anywhere: the policy says so to the browser too.
_SECURITY_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
)


class CrmServer:
    """The demo CRM served on ``127.0.0.1:port`` (``port=0`` picks a free one) until stopped.

    Use it as a context manager; ``url`` is known once it has started::

        with CrmServer() as crm:
            open_browser(crm.url + "/contacts/new")
            assert [c.email for c in crm.records()] == [...]
    """

    def __init__(self, port: int = 0, *, log_requests: bool = False) -> None:
        self._port = port
        self._log_requests = log_requests
        self._book = ContactBook()
        self._httpd: _CrmHttpServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        if self._httpd is None:
            raise SandboxError(
                "The demo CRM has no address yet: it has not been started.",
                hint="Use `with CrmServer() as crm:` or call start() before reading url.",
            )
        return f"http://{LOOPBACK}:{self._httpd.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def start(self) -> Self:
        """Bind the port and serve requests in a daemon thread; ready as soon as this returns."""
        if self._httpd is not None:
            return self
        try:
            httpd = _CrmHttpServer((LOOPBACK, self._port), _CrmRequestHandler)
        except OSError as error:
            raise SandboxError(
                f"Could not serve the demo CRM on {LOOPBACK}:{self._port}: {error.strerror or error}.",
                hint="Another program probably uses that port: pick another one, or port 0 for any free port.",
            ) from None
        httpd.app = CrmApp(self._book)
        httpd.log_requests = self._log_requests
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="deskhand-demo-crm", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port. Contacts stay readable through ``records()``."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None
        self._thread = None

    def records(self) -> list[Contact]:
        """Every saved contact, oldest first (what ``GET /api/contacts`` lists)."""
        return self._book.all()

    def reset(self) -> None:
        """Forget every contact (what ``POST /api/reset`` does)."""
        self._book.reset()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


class _CrmHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    app: CrmApp
    log_requests: bool = False


class _CrmRequestHandler(BaseHTTPRequestHandler):
    server: _CrmHttpServer
    server_version = "DeskhandDemoCRM/1"

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = self._content_length()
        if length is None:
            self._send(Response(413, b"The request body is too large.", "text/plain; charset=utf-8"))
            return
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        self._send(self.server.app.handle(self.command, self.path, body, content_type))

    def _content_length(self) -> int | None:
        """The body's length; ``None`` if it is over the limit. A missing or malformed header counts as 0."""
        try:
            length = max(0, int(self.headers.get("Content-Length", "0")))
        except ValueError:
            return 0
        return length if length <= _MAX_BODY else None

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in (*_SECURITY_HEADERS, *response.headers):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log_requests:
            super().log_message(format, *args)


def main(argv: list[str] | None = None) -> None:
    """Serve the CRM in the foreground until Ctrl-C (for trying it out by hand)."""
    parser = argparse.ArgumentParser(prog="python -m deskhand.demo.server", description=main.__doc__)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on {LOOPBACK} (0: any free one)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    options = parser.parse_args(argv)
    try:
        crm = CrmServer(options.port, log_requests=not options.quiet).start()
    except SandboxError as error:
        parser.exit(1, f"error: {error}\n")
    print(f"Demo CRM at {crm.url}/ (Ctrl-C stops it)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        crm.stop()


if __name__ == "__main__":
    main()
