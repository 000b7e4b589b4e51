"""The approval queue: what each waiting action would do, with its values and screenshot; approve or deny.

The same queue and the same rule as `deskhand approvals`: an approval carries the digest of the values the
page showed, and the queue refuses it if the run is now asking about other values.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deskhand.errors import DeskhandError
from deskhand.surfaces.web.state import console_of


def approvals(request: Request) -> Response:
    console = console_of(request)
    pending = console.approvals.pending()
    return console.render(
        request,
        "approvals.html",
        pending=pending,
        pictured={item.id for item in pending if console.approvals.screenshot(item.id) is not None},
        done=request.query_params.get("done", ""),
        refused=request.query_params.get("refused", ""),
    )


def screenshot(request: Request) -> Response:
    console = console_of(request)
    approval_id = request.path_params["approval_id"]
    png = console.approvals.screenshot(approval_id)
    if png is None:
        raise HTTPException(404, f"Approval request {approval_id} has no screenshot.")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})


async def answer(request: Request) -> Response:
    console = console_of(request)
    form = await console.sessions.checked_form(request)
    approval_id = request.path_params["approval_id"]
    if request.path_params["answer"] not in ("approve", "deny"):
        raise HTTPException(404, "An approval request is approved or denied.")
    approve = request.path_params["answer"] == "approve"
    # Bound to the digest the page showed: the values may have changed since it was rendered.
    digest = str(form.get("digest", "")) if approve else None
    if approve and not digest:
        raise HTTPException(400, "An approval must carry the digest of the values it was shown.")
    try:
        await asyncio.to_thread(console.approvals.answer, approval_id, approve, digest=digest)
    except DeskhandError as error:
        query = urlencode({"refused": f"{error.message} {error.hint or ''}".strip()})
        return RedirectResponse(f"/approvals?{query}", status_code=303)
    done = f"{'approved' if approve else 'denied'} {approval_id}"
    return RedirectResponse(f"/approvals?{urlencode({'done': done})}", status_code=303)


ROUTES = [
    Route("/approvals", approvals),
    Route("/approvals/{approval_id}/screenshot.png", screenshot),
    Route("/approvals/{approval_id}/{answer:str}", answer, methods=["POST"]),
]
