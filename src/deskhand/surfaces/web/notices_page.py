"""Notices: the ones not delivered (the outbox) first, then the newest; "send again" is `deskhand notices retry`."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deskhand.app.notify import EXIT_WAIT_S, session_notifier
from deskhand.policy.secrets import Redactor
from deskhand.runs.outbox import Outbox
from deskhand.runs.store import RunStore
from deskhand.surfaces.web.state import console_of

RECENT = 50


def notices(request: Request) -> Response:
    console = console_of(request)
    outbox = Outbox(console.store.path)
    return console.render(
        request,
        "notices.html",
        unsent=outbox.unsent(),
        recent=outbox.recent(RECENT),
        done=request.query_params.get("done", ""),
    )


def _retry(store: RunStore, redactor: Redactor) -> str:
    notifier = session_notifier(store, redactor)
    ids = notifier.retry_unsent()
    notifier.wait(EXIT_WAIT_S)
    records = [notifier.outbox.get(notice_id) for notice_id in ids]
    if not records:
        return "nothing to send: every notice was delivered"
    delivered = sum(record.status == "delivered" for record in records)
    return f"sent again {len(records)}: {delivered} delivered, {len(records) - delivered} still undelivered"


async def retry(request: Request) -> Response:
    console = console_of(request)
    await console.sessions.checked_form(request)
    done = await asyncio.to_thread(_retry, console.store, console.redactor)
    return RedirectResponse(f"/notices?{urlencode({'done': done})}", status_code=303)


ROUTES = [
    Route("/notices", notices),
    Route("/notices/retry", retry, methods=["POST"]),
]
