"""The fleet: every worker serving rows (Celery workers across machines, `--parallel` on this one), its desktops
and what each runs, the batch rows in flight and the newest entries of the fleet's audit log; the page reloads
its tables every few seconds. Its buttons pull and lift the fleet's kill switch (`deskhand fleet stop|resume`)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deskhand import __version__
from deskhand.runs.owner import this_host
from deskhand.runs.records import utc_now
from deskhand.runs.workers import RowInFlight, WorkerRecord
from deskhand.surfaces.web.state import console_of

AUDIT_SHOWN = 20


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
        fleet_stop=console.store.fleet_stop(),
        audit=console.store.audit_entries(limit=AUDIT_SHOWN),
    )


async def stop_fleet(request: Request) -> Response:
    """The fleet's kill switch, as `deskhand fleet stop`: every run of the store stops before its next input event
    and no new row runs until it is lifted."""
    console = console_of(request)
    form = await console.sessions.checked_form(request)
    reason = str(form.get("reason") or "").strip() or "from the console"
    await asyncio.to_thread(console.store.stop_fleet, reason, f"the console on {this_host()}")
    return RedirectResponse("/fleet", status_code=303)


async def resume_fleet(request: Request) -> Response:
    console = console_of(request)
    await console.sessions.checked_form(request)
    await asyncio.to_thread(console.store.resume_fleet, f"the console on {this_host()}")
    return RedirectResponse("/fleet", status_code=303)


def _age_s(now: datetime, moment: str) -> int:
    return int((now - datetime.fromisoformat(moment)).total_seconds())


ROUTES = [
    Route("/fleet", fleet),
    Route("/fleet/stop", stop_fleet, methods=["POST"]),
    Route("/fleet/resume", resume_fleet, methods=["POST"]),
]
