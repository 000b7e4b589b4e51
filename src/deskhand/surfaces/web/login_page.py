"""The login form: the token once, then a session cookie (HttpOnly, SameSite=Strict) for this browser."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deskhand.surfaces.web.auth import COOKIE
from deskhand.surfaces.web.state import console_of


def _safe_next(target: str) -> str:
    # Only a path on this console: never send a person on to another site after logging in.
    return target if target.startswith("/") and not target.startswith("//") else "/runs"


async def login(request: Request) -> Response:
    console = console_of(request)
    if request.method == "GET":
        return console.render(
            request, "login.html", next=_safe_next(request.query_params.get("next", "/runs")), wrong=False
        )
    form = await request.form()
    target = _safe_next(str(form.get("next", "/runs")))
    if not console.sessions.token_matches(str(form.get("token", "")).strip()):
        return console.render(request, "login.html", status_code=401, next=target, wrong=True)
    session, _ = console.sessions.open()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
    return response


async def logout(request: Request) -> Response:
    console = console_of(request)
    await console.sessions.checked_form(request)
    session = console.sessions.session_of(request)
    if session is not None:
        console.sessions.close(session)
    response = RedirectResponse(f"/login?{urlencode({'next': '/runs'})}", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


ROUTES = [Route("/login", login, methods=["GET", "POST"]), Route("/logout", logout, methods=["POST"])]
