"""`deskhand worker --broker redis://HOST:6379/0 --desktops N`: serve a fleet's rows on N virtual desktops."""

from __future__ import annotations

import typer

from deskhand.app.fleet.broker import DEFAULT_REDELIVER_S
from deskhand.app.fleet.leases import LEASE_S
from deskhand.errors import InputError


def _say(line: str) -> None:
    typer.echo(line, err=True)


def worker(
    broker: str = typer.Option(..., "--broker", help="The fleet's Redis: redis://HOST:6379/0."),
    desktops: int = typer.Option(1, "--desktops", help="How many virtual desktops take rows at once."),
    approve: str = typer.Option(
        "deny", "--approve", help="Irreversible steps not preapproved: deny | queue (answer in `deskhand serve`)."
    ),
    timeout: float = typer.Option(10.0, help="Seconds to wait for each element."),
    redeliver_after: float = typer.Option(
        DEFAULT_REDELIVER_S,
        "--redeliver-after",
        help="Seconds after which a row a dead worker held is delivered again (Redis's visibility timeout).",
    ),
    lease: float = typer.Option(LEASE_S, "--lease", help="Seconds a row's lease lasts unless its desktop renews it."),
    desktop_slot: int = typer.Option(0, "--desktop-slot", hidden=True, help="One desktop process of a worker."),
) -> None:
    """Take rows sent with `deskhand run … --broker` and run each on one of this machine's virtual desktops."""
    from deskhand.app.fleet.worker import run_worker, serve_desktop

    if approve not in ("deny", "queue"):
        raise InputError(
            f"--approve {approve!r} cannot be used by a worker: it has no terminal to ask on.",
            hint="Use --approve deny (the default) or --approve queue.",
        )
    if desktops < 1:
        raise InputError(f"--desktops {desktops} is not a number of desktops.", hint="Give at least 1.")
    if desktop_slot:
        serve_desktop(
            broker,
            desktop_slot,
            approve=approve,
            timeout=timeout,
            redeliver_after_s=redeliver_after,
            lease_s=lease,
            say=_say,
        )
        return
    args = ["--approve", approve, "--timeout", str(timeout), "--redeliver-after", str(redeliver_after)]
    raise typer.Exit(run_worker(broker, desktops, [*args, "--lease", str(lease)], say=_say))


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
