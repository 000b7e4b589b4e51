"""The fleet: every worker serving rows (Celery workers across machines, `--parallel` on this one), its desktops
and what each runs, and the batch rows in flight; the page reloads its tables every few seconds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deskhand import __version__
from deskhand.runs.records import utc_now
from deskhand.runs.workers import RowInFlight, WorkerRecord
from deskhand.surfaces.web.state import console_of


@dataclass(frozen=True, slots=True)
class WorkerView:
    worker: WorkerRecord
    state: str  # serving, silent, stopped
    heartbeat_age_s: int
    rows: int  # batch rows in flight on it


def fleet(request: Request) -> Response:
    console = console_of(request)
    now = utc_now()
    in_flight: list[RowInFlight] = console.store.rows_in_flight()
    per_worker = Counter(row.worker for row in in_flight if row.worker)
    views = [
        WorkerView(w, w.state(now), _age_s(now, w.heartbeat_at), per_worker[w.name]) for w in console.store.workers()
    ]
    serving = [view for view in views if view.state == "serving"]
    return console.render(
        request,
        "fleet.html",
        workers=views,
        in_flight=in_flight,
        serving=len(serving),
        desktops=sum(len(view.worker.desktops) for view in serving),
        version=__version__,
        where=console.store.where,
    )


def _age_s(now: datetime, moment: str) -> int:
    return int((now - datetime.fromisoformat(moment)).total_seconds())


ROUTES = [Route("/fleet", fleet)]
