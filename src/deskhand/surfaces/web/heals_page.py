"""Healed steps to review: the element the lock knew and the one used, the file diff accepting would write;
accept or reject through the same code as `deskhand heals`."""

from __future__ import annotations

import asyncio
import difflib
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deskhand.errors import DeskhandError
from deskhand.runner.review import (
    PendingHeal,
    accept,
    accepted_text,
    find_heal,
    pending_heals,
    reject,
    rejected_lock,
)
from deskhand.runs.store import RunStore
from deskhand.surfaces.web.state import console_of
from deskhand.workflows.lock import dump_lock, lock_path

RECENT_RUNS = 200


@dataclass(frozen=True, slots=True)
class HealView:
    heal: PendingHeal
    diff: str  # unified diff of the workflow file, or why there is none
    problem: str
    lock_diff: str  # unified diff of the lock file rejecting writes ("" when it leaves the lock alone)


def _diff(before: str, after: str, name: str, change: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name} (now)", f"{name} ({change})"
    )
    return "".join(lines)


def _lock_diff(heal: PendingHeal) -> str:
    try:
        change = rejected_lock(heal)
    except DeskhandError:
        return ""
    if change is None:
        return ""
    return _diff(dump_lock(change[0]), dump_lock(change[1]), str(lock_path(heal.workflow_path)), "rejected")


def _view(heal: PendingHeal) -> HealView:
    lock_diff = _lock_diff(heal)
    try:
        before, after = accepted_text(heal)
    except DeskhandError as error:
        return HealView(heal, "", f"{error.message} {error.hint or ''}".strip(), lock_diff)
    return HealView(heal, _diff(before, after, heal.workflow_path, "accepted"), "", lock_diff)


def heals(request: Request) -> Response:
    console = console_of(request)
    views = [_view(heal) for heal in pending_heals(console.store, RECENT_RUNS)]
    return console.render(
        request,
        "heals.html",
        heals=views,
        done=request.query_params.get("done", ""),
        refused=request.query_params.get("refused", ""),
    )


def _decide(store: RunStore, heal_id: str, accepting: bool) -> str:
    heal = find_heal(store, heal_id)
    if accepting:
        accept(store, heal)
        return f"step {heal.step} of {heal.workflow_path} now reads: {heal.proposal}"
    reject(store, heal)
    return f"rejected; step {heal.step} is no longer replayed from the lock"


async def decide(request: Request) -> Response:
    console = console_of(request)
    await console.sessions.checked_form(request)
    heal_id = request.path_params["heal_id"]
    if request.path_params["decision"] not in ("accept", "reject"):
        raise HTTPException(404, "A heal is accepted or rejected.")
    accepting = request.path_params["decision"] == "accept"
    try:
        done = await asyncio.to_thread(_decide, console.store, heal_id, accepting)
    except DeskhandError as error:
        query = urlencode({"refused": f"{error.message} {error.hint or ''}".strip()})
        return RedirectResponse(f"/heals?{query}", status_code=303)
    return RedirectResponse(f"/heals?{urlencode({'done': done})}", status_code=303)


ROUTES = [
    Route("/heals", heals),
    Route("/heals/{heal_id}/{decision:str}", decide, methods=["POST"]),
]
