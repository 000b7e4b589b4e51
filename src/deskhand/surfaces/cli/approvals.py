"""`deskhand approvals`: answer irreversible actions waiting in the approval queue (`--approve queue`, MCP)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from deskhand.app.session import approvals_path
from deskhand.policy.approval_queue import ApprovalQueue, QueuedApproval

group = typer.Typer(help="Answer irreversible actions waiting for a person (runs with --approve queue, MCP).")


def _describe(item: QueuedApproval) -> str:
    request = item.request
    lines = [
        f"{item.id}  [{item.status}]  {item.created_at}",
        f"  wants to {request.get('action')} {request.get('target')}",
    ]
    lines.append(f"  run {request.get('run_id')}, step {request.get('step')}: {request.get('sentence')}")
    if request.get("reason"):
        lines.append(f"  why it asks: {request['reason']}")
    for entry in request.get("fields", []) or []:
        lines.append(f"    {entry.get('label') or entry.get('role')}: {entry.get('value')}")
    if request.get("destination"):
        # What the browser would send, hidden fields included: the approval is bound to all of it.
        lines.append(f"  it sends ({str(request.get('method', '')).upper()} to {request['destination']}):")
        lines.extend(f"    {entry.get('name')}={entry.get('value')}" for entry in request.get("sent", []) or [])
    return "\n".join(lines)


@group.command("list")
def list_pending(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The actions waiting for an answer."""
    pending = ApprovalQueue(approvals_path()).pending()
    if as_json:
        typer.echo(json.dumps([item.to_json() for item in pending], indent=1))
        return
    if not pending:
        typer.echo("Nothing is waiting for approval.")
    for item in pending:
        typer.echo(_describe(item))


@group.command("show")
def show(
    approval_id: str = typer.Argument(..., help="The id from `deskhand approvals list`."),
    screenshot: Path = typer.Option(None, "--screenshot", help="Write the request's screenshot (PNG) here."),
) -> None:
    """One request in full, optionally with its screenshot."""
    queue = ApprovalQueue(approvals_path())
    typer.echo(_describe(queue.get(approval_id)))
    if screenshot is not None:
        png = queue.screenshot(approval_id)
        if png is None:
            typer.echo("  (no screenshot was taken for this request)")
        else:
            screenshot.write_bytes(png)
            typer.echo(f"  screenshot: {screenshot}")


@group.command("approve")
def approve(approval_id: str = typer.Argument(..., help="The id from `deskhand approvals list`.")) -> None:
    """Approve it: the action goes ahead only if the values on screen are still the ones shown."""
    queue = ApprovalQueue(approvals_path())
    shown = queue.get(approval_id)
    typer.echo(_describe(shown))
    # Bound to the values just shown; the run re-reads the screen and voids it if they changed since.
    queue.answer(approval_id, True, digest=str(shown.request.get("digest")))
    typer.echo(f"approved {approval_id}")


@group.command("deny")
def deny(approval_id: str = typer.Argument(..., help="The id from `deskhand approvals list`.")) -> None:
    """Refuse it: the step ends blocked."""
    ApprovalQueue(approvals_path()).answer(approval_id, False)
    typer.echo(f"denied {approval_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="approvals")
