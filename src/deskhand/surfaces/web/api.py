"""The machine-readable side: ``GET /api/runs`` → run objects exactly as `deskhand run --json` prints them.

Filters are the run list's: ``status``, ``workflow``, ``batch``, ``date`` (YYYY-MM-DD), ``q``, ``limit``
(default 100), ``offset``; newest first. Every string passes the console's redactor.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deskhand.errors import DeskhandError
from deskhand.runner.outcome_of import outcome_of
from deskhand.runs.redaction import redact_data
from deskhand.surfaces.web.runs_pages import run_filter
from deskhand.surfaces.web.state import console_of


def _objects(request: Request) -> list[dict[str, Any]]:
    console = console_of(request)
    page = console.store.find_runs(run_filter(request))
    found = []
    for line in page.lines:
        try:
            run = console.store.get_run(line.run_id)
        except DeskhandError:
            continue  # deleted between the two reads
        found.append(redact_data(outcome_of(run).to_json(), console.redactor.redact))
    return found


def runs(request: Request) -> Response:
    return JSONResponse(_objects(request))


def one_run(request: Request) -> Response:
    console = console_of(request)
    try:
        run = console.store.get_run(request.path_params["run_id"])
    except DeskhandError as error:
        raise HTTPException(404, error.message) from None
    return JSONResponse(redact_data(outcome_of(run).to_json(), console.redactor.redact))


ROUTES = [Route("/api/runs", runs), Route("/api/runs/{run_id}", one_run)]
