"""The bearer token that guards the HTTP transport: made once, kept in deskhand's home, checked on every
request in constant time."""

from __future__ import annotations

import hmac
import json
import os
import secrets
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from deskhand.runs.home import deskhand_home

TOKEN_VARIABLE = "DESKHAND_MCP_TOKEN"


def token_path() -> Path:
    return deskhand_home() / "mcp-token"


def load_or_create_token(path: Path | None = None) -> tuple[str, bool]:
    """The token from ``$DESKHAND_MCP_TOKEN``, else from the token file, else a new one written there (0600).

    Returns the token and whether it was just made (so the caller prints it once).
    """
    from_env = os.environ.get(TOKEN_VARIABLE, "").strip()
    if from_env:
        return from_env, False
    path = path or token_path()
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored, False
    token = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(token + "\n")
    return token, True


def bearer_token_matches(header: bytes, expected: bytes) -> bool:
    """Whether an Authorization header carries ``expected`` as a bearer token. The scheme's name is
    case-insensitive (RFC 9110 §11.1: ``bearer``, ``BEARER``); the token is compared in constant time."""
    scheme, _, credentials = header.strip().partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(credentials.strip(), expected)


class BearerAuth:
    """ASGI middleware: every HTTP request needs ``Authorization: Bearer <token>``, else 401 with a reason."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"authorization", b"")
        if bearer_token_matches(given, self.expected):
            await self.app(scope, receive, send)
            return
        reason = "wrong bearer token" if given else "no bearer token"
        body = json.dumps(
            {
                "error": "unauthorized",
                "message": f"deskhand refused the request: {reason}.",
                "hint": f"Send 'Authorization: Bearer <token>'; the token is in {token_path()} or ${TOKEN_VARIABLE}.",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
            }
        )
        await send({"type": "http.response.body", "body": body})
