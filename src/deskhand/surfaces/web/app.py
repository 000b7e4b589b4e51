"""`deskhand serve`'s application: the console's pages, its API, the login gate, and the services'
lifespan (a scheduler plugged in with :class:`~deskhand.surfaces.web.services.ConsoleService`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskhand.surfaces.web import api, approvals_page, fleet_page, heals_page, login_page, notices_page, runs_pages
from deskhand.surfaces.web.services import ConsoleService, SchedulesProvider
from deskhand.surfaces.web.state import STATIC, Console, console_of

# No page may be framed (an approve button under someone else's page), nothing loads from elsewhere.
_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]
# Reachable without the token: the login form and the static files it needs.
_OPEN = ("/login", "/static/")


class LoginGate:
    """Every request but the login form's needs the bearer token or a session cookie; pages send the
    browser to the login form, the API answers 401."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, original_send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, original_send)
            return

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *_HEADERS]
            await original_send(message)

        if scope["path"].startswith(_OPEN):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if console_of(request).sessions.allowed(request):
            await self.app(scope, receive, send)
            return
        response: Response
        if scope["path"].startswith("/api/") or request.method != "GET":
            response = JSONResponse(
                {"error": "Send the console's token as `Authorization: Bearer …`, or log in at /login."},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="deskhand"'},
            )
        else:
            target = scope["path"] + (f"?{scope['query_string'].decode()}" if scope.get("query_string") else "")
            response = RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        await response(scope, receive, send)


def schedules(request: Request) -> Response:
    console = console_of(request)
    providers = [s for s in console.services if isinstance(s, SchedulesProvider)]
    rows = [row for provider in providers for row in provider.schedules()]
    return console.render(request, "schedules.html", rows=rows, has_scheduler=bool(providers))


def home(request: Request) -> Response:
    return RedirectResponse("/runs", status_code=303)


async def _error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": error.detail}, status_code=error.status_code)
    return console_of(request).render(request, "error.html", status_code=error.status_code, error=error)


def create_app(console: Console) -> Starlette:
    """The console over ``console``'s stores; its services start with the app and stop with it."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started: list[ConsoleService] = []
        try:
            for service in console.services:
                service.start()
                started.append(service)
            yield
        finally:
            for service in reversed(started):
                service.stop()

    routes: Sequence[Route | Mount] = [
        Route("/", home),
        Route("/schedules", schedules),
        *login_page.ROUTES,
        *runs_pages.ROUTES,
        *approvals_page.ROUTES,
        *heals_page.ROUTES,
        *notices_page.ROUTES,
        *fleet_page.ROUTES,
        *api.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=list(routes), lifespan=lifespan, exception_handlers={HTTPException: _error})
    app.state.console = console
    app.add_middleware(LoginGate)
    return app
