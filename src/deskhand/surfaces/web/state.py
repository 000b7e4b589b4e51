"""What every page of the console shares: the stores, the sessions, the templates and the services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.policy.secrets import Redactor
from deskhand.runs.report import format_ms
from deskhand.runs.store import RunStore
from deskhand.surfaces.web.auth import CSRF_FIELD, Sessions
from deskhand.surfaces.web.services import ConsoleService

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def _finalize(redact: Callable[[str], str]) -> Callable[[Any], Any]:
    # Every value a template prints passes the redactor: a secret the store or the queue missed is still
    # never rendered.
    def finalize(value: Any) -> Any:
        return redact(value) if isinstance(value, str) else value

    return finalize


def templates(redact: Callable[[str], str]) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        finalize=_finalize(redact),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["took"] = format_ms
    env.filters["when"] = lambda text: (text or "")[:19].replace("T", " ")
    return Jinja2Templates(env=env)


@dataclass
class Console:
    store: RunStore
    approvals: ApprovalQueue
    stop_dir: Path
    sessions: Sessions
    redactor: Redactor
    services: Sequence[ConsoleService] = ()
    pages: Jinja2Templates = field(init=False)

    def __post_init__(self) -> None:
        self.pages = templates(self.redactor.redact)

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        session = self.sessions.session_of(request)
        csrf = "" if session is None else (self.sessions.csrf_of(session) or "")
        context |= {"csrf_field": CSRF_FIELD, "csrf": csrf, "waiting": len(self.approvals.pending())}
        return self.pages.TemplateResponse(request, name, context, status_code=status_code)

    def fragment(self, request: Request, name: str, **context: Any) -> str:
        return str(self.pages.get_template(name).render(request=request, **context))


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def html(text: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status_code)
