"""`deskhand notices list | retry`: the notices deskhand made, and sending again the ones that did not go out."""

from __future__ import annotations

import json

import typer

from deskhand.app.notify import EXIT_WAIT_S, session_notifier
from deskhand.policy.secrets import Redactor
from deskhand.runs.outbox import Outbox
from deskhand.runs.store import RunStore

group = typer.Typer(help="Notices of failed, blocked, waiting and healed runs.", no_args_is_help=True)


@group.command("list")
def list_notices(
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="How many of the newest notices."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """Notices, newest first, with whether each was delivered."""
    with RunStore() as store:
        notices = Outbox(store.path).recent(limit)
    if as_json:
        typer.echo(json.dumps([notice.to_json() for notice in notices], indent=2, ensure_ascii=False))
        return
    if not notices:
        typer.echo("No notices yet.")
        return
    for notice in notices:
        typer.echo(f"{notice.id:>5}  {notice.status:<11}  {notice.created_at}  {notice.title}")
        if notice.last_error and notice.status != "delivered":
            typer.echo(f"       last error: {notice.last_error}")


@group.command("retry")
def retry_notices() -> None:
    """Send again every notice not delivered (and digests of grouped repeats that are due)."""
    with RunStore() as store:
        notifier = session_notifier(store, Redactor())
        ids = notifier.retry_unsent()
        notifier.wait(EXIT_WAIT_S)
        records = [notifier.outbox.get(notice_id) for notice_id in ids]
    if not records:
        typer.echo("Nothing to send: every notice was delivered.")
        return
    for record in records:
        typer.echo(f"{record.id:>5}  {record.status:<11}  {record.title}")
    if any(record.status != "delivered" for record in records):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="notices")
