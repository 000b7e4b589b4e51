"""`deskhand serve [--host 127.0.0.1] [--port 8765]`: the web console (and, beside it, the scheduler)."""

from __future__ import annotations

import ipaddress
import os

import typer

from deskhand.app.scheduler import Scheduler
from deskhand.app.session import approvals_path, stop_dir
from deskhand.errors import InputError
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.policy.secrets import Redactor, SecretStore
from deskhand.runs.home import default_store, deskhand_home
from deskhand.runs.store import RunStore
from deskhand.surfaces.web.auth import TOKEN_VARIABLE, Sessions, serve_token
from deskhand.surfaces.web.services import ConsoleService
from deskhand.surfaces.web.state import Console

DEFAULT_PORT = 8765


def console_services() -> list[ConsoleService]:
    """What runs in the same process as the console, started and stopped with it: the scheduler."""
    return [Scheduler(default_store())]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless --allow-remote)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=0, max=65535, help="Port to listen on."),
    allow_remote: bool = typer.Option(
        False, "--allow-remote", help="Listen on an address other machines can reach (the token then guards it)."
    ),
) -> None:
    """The console: runs, approvals, the stop button, heals, notices and schedules in a browser.

    Every page needs the token: $DESKHAND_SERVE_TOKEN, else the one kept (mode 0600) in deskhand's data folder,
    made and printed on first start."""
    import uvicorn

    from deskhand.surfaces.web.app import create_app

    if not _loopback(host) and not allow_remote:
        raise InputError(
            f"--host {host} is not a loopback address: other machines could reach the console.",
            hint="Use --host 127.0.0.1 (the default), or add --allow-remote if you mean it.",
        )
    if not _loopback(host):
        typer.echo(
            f"warning: the console listens on {host}: anyone who can reach it and has the token can approve actions.",
            err=True,
        )
    token = serve_token(deskhand_home())
    if token.source == "new":
        typer.echo(f"console token (shown only now; kept in {token.path}, mode 0600): {token.value}")
    elif token.source == "environment":
        typer.echo(f"console token: from ${TOKEN_VARIABLE}")
    else:
        typer.echo(f"console token: in {token.path}")
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    # Notices made by runs of this process (the scheduler's) link to this console.
    os.environ.setdefault("DESKHAND_CONSOLE_URL", url)
    store = RunStore(redact=Redactor.of_known_secrets(SecretStore()).redact)
    console = Console(
        store=store,
        approvals=ApprovalQueue(approvals_path()),
        stop_dir=stop_dir(),
        sessions=Sessions(token.value),
        redactor=Redactor.of_known_secrets(SecretStore()),
        services=console_services(),
    )
    typer.echo(f"deskhand console on {url}/ (Ctrl-C ends it)")
    try:
        uvicorn.run(create_app(console), host=host, port=port, log_level="warning")
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
