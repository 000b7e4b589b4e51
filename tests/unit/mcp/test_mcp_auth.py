"""The HTTP bearer token: made once (0600), reused, overridable; requests without it get a 401 with a reason."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from deskhand.surfaces.mcp.auth import TOKEN_VARIABLE, BearerAuth, load_or_create_token


def test_token_is_made_once_and_kept_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_VARIABLE, raising=False)
    path = tmp_path / "mcp-token"
    token, made = load_or_create_token(path)
    assert made and len(token) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token(path) == (token, False)
    monkeypatch.setenv(TOKEN_VARIABLE, "from-env")
    assert load_or_create_token(path) == ("from-env", False)


def test_requests_need_the_right_bearer_token() -> None:
    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    client = TestClient(BearerAuth(Starlette(routes=[Route("/", hello)]), "sesame"))
    assert client.get("/", headers={"Authorization": "Bearer sesame"}).text == "hello"
    for scheme in ("bearer", "BEARER", "beArer"):  # the scheme's name is case-insensitive (RFC 9110)
        assert client.get("/", headers={"Authorization": f"{scheme} sesame"}).text == "hello"
    assert client.get("/", headers={"Authorization": "Basic sesame"}).status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer SESAME"}).status_code == 401  # the token is not
    wrong = client.get("/", headers={"Authorization": "Bearer sesam"})
    assert wrong.status_code == 401 and "wrong bearer token" in wrong.json()["message"]
    missing = client.get("/")
    assert missing.status_code == 401 and "no bearer token" in missing.json()["message"]
    assert "Authorization: Bearer" in missing.json()["hint"]
