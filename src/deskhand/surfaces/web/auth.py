"""Who may use the console: one token, sent as ``Authorization: Bearer`` or once through the login form.

The token is ``DESKHAND_SERVE_TOKEN`` when set, else the one in ``<home>/serve-token`` (mode 0600), made on
first start and printed then only. The login form trades it for a session cookie (HttpOnly,
SameSite=Strict); each session has its own CSRF token, which every form posts back. A request carrying the
bearer header sends no cookie a page could make the browser send, so it needs no CSRF token.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

TOKEN_VARIABLE = "DESKHAND_SERVE_TOKEN"
COOKIE = "deskhand_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True, slots=True)
class ServeToken:
    value: str
    source: str  # "environment", the file it was read from, or "new" (just made; print it once)
    path: Path


def serve_token(home: Path, environ: dict[str, str] | None = None) -> ServeToken:
    env = os.environ if environ is None else environ
    path = home / "serve-token"
    given = env.get(TOKEN_VARIABLE, "").strip()
    if given:
        return ServeToken(given, "environment", path)
    try:
        kept = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        kept = ""
    if kept:
        # Someone widened the mode by hand: the token is only as secret as the file.
        path.chmod(0o600)
        return ServeToken(kept, str(path), path)
    value = secrets.token_urlsafe(32)
    home.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(value + "\n")
    path.chmod(0o600)
    return ServeToken(value, "new", path)


@dataclass
class Sessions:
    """Logged-in browsers: session id → its CSRF token. In memory: a restart asks to log in again."""

    token: str
    _csrf: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def token_matches(self, offered: str) -> bool:
        return hmac.compare_digest(offered.encode(), self.token.encode())

    def open(self) -> tuple[str, str]:
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._lock:
            self._csrf[session] = csrf
        return session, csrf

    def close(self, session: str) -> None:
        with self._lock:
            self._csrf.pop(session, None)

    def csrf_of(self, session: str) -> str | None:
        with self._lock:
            return self._csrf.get(session)

    def bearer(self, request: Request) -> bool:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_matches(value.strip())

    def session_of(self, request: Request) -> str | None:
        session = request.cookies.get(COOKIE, "")
        return session if session and self.csrf_of(session) is not None else None

    def allowed(self, request: Request) -> bool:
        return self.bearer(request) or self.session_of(request) is not None

    async def checked_form(self, request: Request) -> FormData:
        """The posted form, after the CSRF check: a cookie session must send its own token back."""
        form = await request.form()
        if self.bearer(request):
            return form
        session = self.session_of(request)
        expected = None if session is None else self.csrf_of(session)
        offered = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, ""))
        if expected is None or not hmac.compare_digest(offered.encode(), expected.encode()):
            raise HTTPException(403, "The form's CSRF token is missing or not this session's: reload the page.")
        return form
