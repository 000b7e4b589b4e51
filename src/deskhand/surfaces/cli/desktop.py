"""`deskhand desktop up | down | status | list | run | screenshot`: named virtual desktops for the shell."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from deskhand.errors import SandboxError
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.launch import registered_apps
from deskhand.sandbox.registry import (
    DEFAULT_NAME,
    DesktopState,
    bring_down,
    bring_up,
    check_name,
    is_alive,
    launch_into,
    list_states,
    resolve,
)
from deskhand.sandbox.screenshot import grab_png

# What `eval "$(deskhand desktop up)"` puts into the shell.
_EXPORTED = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON")
# ... and for a Wayland desktop: its socket (an absolute path), the compositor, and what toolkits need there.
_EXPORTED_WAYLAND = (
    "WAYLAND_DISPLAY",
    "DBUS_SESSION_BUS_ADDRESS",
    "AT_SPI_BUS_ADDRESS",
    "XDG_SESSION_TYPE",
    "XDG_CURRENT_DESKTOP",
    "DESKHAND_COMPOSITOR",
    "SWAYSOCK",
    "GDK_BACKEND",
    "QT_QPA_PLATFORM",
    "ACCESSIBILITY_ENABLED",
    "GSK_RENDERER",
    "QT_LINUX_ACCESSIBILITY_ALWAYS_ON",
)


def _parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not WIDTHxHEIGHT, e.g. 1280x800.") from None
    if not (64 <= width <= 8192 and 64 <= height <= 8192):
        raise typer.BadParameter(f"{text!r} is outside 64x64 .. 8192x8192.")
    return width, height


def _summary(state: DesktopState) -> dict[str, object]:
    return {
        "display": state.display,
        "dbus_address": state.dbus_address,
        "a11y_address": state.a11y_address,
        "pid": state.xvfb_pid,
    }


def up(
    name: str = typer.Option(DEFAULT_NAME, "--name", help="Name of the desktop."),
    size: str = typer.Option("1280x800", "--size", help="Screen size, WIDTHxHEIGHT."),
    as_json: bool = typer.Option(False, "--json", help="Print display, bus addresses and Xvfb's pid as JSON."),
    wayland: bool = typer.Option(False, "--wayland", help="A headless Wayland compositor instead of X."),
    compositor: str = typer.Option("sway", "--compositor", help="With --wayland: sway or weston."),
) -> None:
    """Start a virtual desktop (or reuse the one of that name) and print `export` lines for `eval`."""
    wanted = _parse_size(size)
    if wayland and compositor not in ("sway", "weston"):
        raise typer.BadParameter(f"{compositor!r} is not a headless compositor deskhand starts: sway or weston.")
    state = bring_up(check_name(name), size=wanted, wayland=compositor if wayland else "")
    if state.size != wanted:
        typer.echo(f"note: {state.name!r} was already up at {state.size[0]}x{state.size[1]}; kept it.", err=True)
    on_wayland = bool(state.env.get("WAYLAND_DISPLAY")) and not state.display
    if wayland != on_wayland:
        kind = "a Wayland" if on_wayland else "an X11"
        typer.echo(f"note: {state.name!r} was already up as {kind} desktop; kept it.", err=True)
    if as_json:
        typer.echo(json.dumps({"name": state.name, **_summary(state)}))
        return
    if on_wayland:
        typer.echo("unset DISPLAY")  # with DISPLAY set, toolkits and deskhand would take the X path
    for key in _EXPORTED_WAYLAND if on_wayland else _EXPORTED:
        typer.echo(f"export {key}={shlex.quote(state.env.get(key, ''))}")
    typer.echo(f"export DESKHAND_DESKTOP={shlex.quote(state.name)}")
    where = f"Wayland ({state.env.get('DESKHAND_COMPOSITOR', '')})" if on_wayland else state.display
    typer.echo(f"desktop {state.name!r} is up on {where}", err=True)


def down(
    name: str = typer.Argument(
        "", help="Desktop to stop, by name or display (:1) (default: $DESKHAND_DESKTOP or the only one up)."
    ),
    everything: bool = typer.Option(False, "--all", help="Stop every desktop."),
) -> None:
    """Stop a desktop and every app on it."""
    names = [state.name for state in list_states()] if everything else [_name_of(name or _current_name())]
    for each in names:
        if bring_down(each):
            typer.echo(f"desktop {each!r} is down", err=True)
        else:
            known = ", ".join(f"{s.name} ({s.display})" for s in list_states()) or "none"
            raise SandboxError(
                f"No desktop named {each!r} is known; known: {known}.", hint="See `deskhand desktop list`."
            )


def _name_of(name_or_display: str) -> str:
    """A desktop's name from its name or its display (``:1``, as `desktop up` printed it)."""
    if not name_or_display.startswith(":"):
        return name_or_display
    for state in list_states():
        if state.display == name_or_display:
            return state.name
    known = ", ".join(f"{s.name} ({s.display})" for s in list_states()) or "none"
    raise SandboxError(
        f"No desktop is on display {name_or_display}; known: {known}.", hint="See `deskhand desktop list`."
    )


def _current_name() -> str:
    """$DESKHAND_DESKTOP, else the only desktop known (even one whose keeper died), else as `resolve`."""
    named = os.environ.get("DESKHAND_DESKTOP", "")
    if named:
        return named
    states = list_states()
    return states[0].name if len(states) == 1 else resolve().name


def status(
    name: str = typer.Argument("", help="Desktop to describe (default: the current one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a desktop: display, buses, and the apps registered on its accessibility bus."""
    state = resolve(name or None)
    with BusClient(state.a11y_address) as a11y:
        apps = registered_apps(a11y)
    if as_json:
        data = {**_summary(state), "name": state.name, "keeper_pid": state.keeper_pid, "alive": True}
        data["apps"] = [{"bus_name": bus, "name": app, "pid": pid} for bus, app, pid in apps]
        typer.echo(json.dumps(data))
        return
    typer.echo(f"desktop {state.name!r}: display {state.display}, {state.size[0]}x{state.size[1]}")
    typer.echo(f"  session bus: {state.dbus_address}")
    typer.echo(f"  a11y bus:    {state.a11y_address}")
    typer.echo(f"  apps:        {', '.join(f'{app} (pid {pid})' for _, app, pid in apps) or 'none'}")


def list_desktops(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """List the named desktops."""
    states = list_states()
    if as_json:
        typer.echo(json.dumps([{"name": s.name, **_summary(s), "alive": is_alive(s)} for s in states]))
        return
    if not states:
        typer.echo('No desktops. Start one with `eval "$(deskhand desktop up)"`.')
        return
    table = Table("name", "display", "size", "state")
    for state in states:
        alive = "[green]up[/green]" if is_alive(state) else "[red]gone[/red] (run `deskhand desktop down`)"
        table.add_row(escape(state.name), state.display, f"{state.size[0]}x{state.size[1]}", alive)
    Console().print(table)


def run(
    command: list[str] = typer.Argument(..., help="The program and its arguments (after --)."),
    no_wait: bool = typer.Option(False, "--no-wait", help="Do not wait for its window on the a11y bus."),
    name: str = typer.Option("", "--name", help="Desktop to launch on (default: the current one)."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds to wait for its window."),
) -> None:
    """Launch an app on the current desktop and wait until it shows a window on the accessibility bus."""
    state = resolve(name or None)
    app = launch_into(state, command, wait=not no_wait, timeout=timeout)
    if no_wait:
        typer.echo(f"started {app.command!r} (pid {app.pid}) on {state.display}")
    else:
        typer.echo(f"{app.name!r} is up (pid {app.pid}, bus {app.bus_name}) on {state.display}")


def screenshot(
    out: Path = typer.Argument(..., help="Where to write the PNG."),
    name: str = typer.Option("", "--name", help="Desktop to capture (default: the current one)."),
) -> None:
    """Save a PNG of the whole screen of the current desktop."""
    state = resolve(name or None)
    if not state.display:
        raise SandboxError(
            f"The desktop {state.name!r} is a Wayland desktop: deskhand takes no screenshots there.",
            hint="sway offers grim (wlr screencopy), which deskhand does not drive yet; use an X desktop.",
        )
    out.write_bytes(grab_png(state.display))
    typer.echo(str(out))


def register(app: typer.Typer) -> None:
    desktop_app = typer.Typer(
        name="desktop",
        help="Virtual desktops (Xvfb + D-Bus + AT-SPI) for apps to run on.",
        no_args_is_help=True,
    )
    desktop_app.command("up")(up)
    desktop_app.command("down")(down)
    desktop_app.command("status")(status)
    desktop_app.command("list")(list_desktops)
    desktop_app.command("run", context_settings={"allow_interspersed_args": False})(run)
    desktop_app.command("screenshot")(screenshot)
    app.add_typer(desktop_app, name="desktop")
