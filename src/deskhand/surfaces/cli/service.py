"""`deskhand service install [--print]`: a systemd user unit that runs deskhand's scheduler."""

from __future__ import annotations

import typer

from deskhand.app.service_unit import UNIT_NAME, install, unit_text
from deskhand.runs.home import deskhand_home

group = typer.Typer(help="Run deskhand as a systemd user service.", no_args_is_help=True)


@group.command("install")
def install_service(
    show: bool = typer.Option(False, "--print", help="Print the unit instead of writing it."),
) -> None:
    """Write ~/.config/systemd/user/deskhand.service (then enable it with systemctl --user)."""
    if show:
        typer.echo(unit_text(deskhand_home()), nl=False)
        return
    path = install(deskhand_home())
    typer.echo(f"wrote {path}")
    typer.echo("start it now and at every login:")
    typer.echo("  systemctl --user import-environment DISPLAY XAUTHORITY DBUS_SESSION_BUS_ADDRESS")
    typer.echo(f"  systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="service")
