"""The run list (filters, search, pages), one run in full, its screenshots, its live view, the stop button."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from deskhand.app.stopping import stop_runs
from deskhand.errors import DeskhandError
from deskhand.runs.query import RunFilter
from deskhand.runs.records import RUN_STATUSES, RunRecord, StepRecord
from deskhand.surfaces.web.shots import Highlight, highlights, inside, png_size
from deskhand.surfaces.web.state import Console, console_of

PAGE_SIZE = 100
LIVE_POLL_S = 0.25


def run_filter(request: Request, limit: int = PAGE_SIZE) -> RunFilter:
    q = request.query_params
    try:
        page_size = int(q.get("limit", limit))
        offset = int(q.get("offset", 0))
    except ValueError:
        raise HTTPException(400, "limit and offset are whole numbers.") from None
    spec = RunFilter(
        workflow=q.get("workflow", ""),
        status=q.get("status", ""),
        batch_id=q.get("batch", ""),
        day=q.get("date", ""),
        words=q.get("q", "").strip(),
        limit=page_size,
        offset=offset,
    )
    try:
        return spec.checked()
    except DeskhandError as error:
        raise HTTPException(400, f"{error.message} {error.hint}") from None


def runs_list(request: Request) -> Response:
    console = console_of(request)
    spec = run_filter(request)
    page = console.store.find_runs(spec)
    kept = {k: v for k, v in request.query_params.items() if k not in ("offset",) and v}
    newer = urlencode(kept | {"offset": max(spec.offset - spec.limit, 0)}) if spec.offset else ""
    older = urlencode(kept | {"offset": spec.offset + spec.limit}) if spec.offset + spec.limit < page.total else ""
    return console.render(
        request,
        "runs.html",
        page=page,
        spec=spec,
        workflows=console.store.workflow_names(),
        statuses=sorted(RUN_STATUSES),
        elsewhere=console.store.running_elsewhere(),  # running on another machine: what this one knows of it
        newer=newer,
        older=older,
    )


@dataclass(frozen=True, slots=True)
class StepView:
    record: StepRecord
    snapshot_text: str | None
    highlights: list[Highlight]
    size: tuple[int, int] | None  # the screenshot's, None when there is none


def step_views(console: Console, run: RunRecord) -> list[StepView]:
    views = []
    for step in run.steps:
        shot = inside(console.store.artifacts_root, console.store.artifact(step.screenshot_path))
        snap = inside(console.store.artifacts_root, console.store.artifact(step.snapshot_path))
        text = None if snap is None else snap.read_text(encoding="utf-8", errors="replace")
        size = png_size(shot) if shot else None
        views.append(StepView(step, text, highlights(step.actions, size), size))
    return views


def _run(console: Console, run_id: str) -> RunRecord:
    try:
        return console.store.get_run(run_id)
    except DeskhandError as error:
        raise HTTPException(404, error.message) from None


def run_detail(request: Request) -> Response:
    console = console_of(request)
    run = _run(console, request.path_params["run_id"])
    error: dict[str, Any] = run.error or {}
    return console.render(
        request,
        "run.html",
        run=run,
        steps=step_views(console, run),
        error=error,
        # Heals have their own page and the diagnosis is shown above; the rest (policy, approvals, tries) here.
        events=[e for e in run.events if e.kind not in ("healed", "workflow_file", "diagnosis")],
        stopped=request.query_params.get("stopped", ""),
    )


def screenshot(request: Request) -> Response:
    console = console_of(request)
    run = _run(console, request.path_params["run_id"])
    n = request.path_params["n"]
    step = next((s for s in run.steps if s.n == n), None)
    path = inside(console.store.artifacts_root, console.store.artifact(step.screenshot_path if step else None))
    if path is None:
        raise HTTPException(404, f"Run {run.run_id} has no screenshot of step {n}.")
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


def _fingerprint(run: RunRecord) -> tuple[str, tuple[tuple[int, str, str | None], ...]]:
    return run.status, tuple((s.n, s.status, s.finished_at) for s in run.steps)


async def live(request: Request) -> Response:
    """Server-sent events while the run runs: ``steps`` (the steps, re-rendered) whenever one starts or
    ends, ``status`` and ``done`` when it ends (the page then closes the stream)."""
    console = console_of(request)
    run_id = request.path_params["run_id"]
    run = await asyncio.to_thread(_run, console, run_id)

    async def events() -> AsyncIterator[ServerSentEvent]:
        seen = None
        while True:
            now = await asyncio.to_thread(console.store.get_run, run_id)
            if _fingerprint(now) != seen:
                seen = _fingerprint(now)
                views = await asyncio.to_thread(step_views, console, now)
                yield ServerSentEvent(console.fragment(request, "steps.html", run=now, steps=views), event="steps")
            if now.status != "running":
                yield ServerSentEvent(console.fragment(request, "status.html", run=now), event="status")
                yield ServerSentEvent("ended", event="done")
                return
            await asyncio.sleep(LIVE_POLL_S)

    del run  # looked up first so that an unknown run is a 404, not an empty stream
    return EventSourceResponse(events(), ping=15)


async def stop(request: Request) -> Response:
    """The kill switch, as `deskhand stop [RUN]`: the run's guard sees it before its next input event."""
    console = console_of(request)
    await console.sessions.checked_form(request)
    run_id = request.path_params.get("run_id")
    if run_id is not None:
        await asyncio.to_thread(_run, console, run_id)  # only a run the store knows names a stop file
    stopped = await asyncio.to_thread(stop_runs, console.store, console.stop_dir, run_id)
    back = f"/runs/{run_id}" if run_id else "/runs"
    return RedirectResponse(f"{back}?{urlencode({'stopped': ' '.join(stopped) or 'none'})}", status_code=303)


ROUTES = [
    Route("/runs", runs_list),
    Route("/runs/{run_id}", run_detail),
    Route("/runs/{run_id}/steps/{n:int}/screenshot.png", screenshot),
    Route("/runs/{run_id}/live", live),
    Route("/runs/{run_id}/stop", stop, methods=["POST"]),
    Route("/stop", stop, methods=["POST"]),
]
