"""Which desktop this process is on: display, session bus and AT-SPI bus, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from Xlib import X
from Xlib import display as xdisplay
from Xlib import error as xerror

from deskhand.errors import SandboxError
from deskhand.sandbox.a11y_bus import BusClient, get_a11y_address

# Where an a11y bus address came from, in the order apps themselves look (see atspi_get_a11y_bus).
FROM_ENV = "AT_SPI_BUS_ADDRESS"
FROM_SESSION_BUS = "org.a11y.Bus.GetAddress"
FROM_X_ROOT = "X root window property AT_SPI_BUS"


@dataclass(frozen=True, slots=True)
class DesktopInfo:
    """The desktop apps started from this environment would use. Empty strings mean 'none found'."""

    display: str
    dbus_address: str
    a11y_address: str
    a11y_source: str = ""
    name: str = ""


def current_desktop(env: Mapping[str, str] | None = None) -> DesktopInfo | None:
    """Describe the current desktop from ``env`` (default: this process's environment).

    The a11y address comes from AT_SPI_BUS_ADDRESS, else from org.a11y.Bus.GetAddress on the session bus,
    else from the X root window property AT_SPI_BUS. None when there is neither a display nor a session bus.
    """
    env = os.environ if env is None else env
    display = env.get("DISPLAY", "")
    dbus_address = session_bus_address(env)
    if not display and not dbus_address:
        return None
    a11y_address, source = find_a11y_address(env)
    return DesktopInfo(display, dbus_address, a11y_address, source, env.get("DESKHAND_DESKTOP", ""))


def session_bus_address(env: Mapping[str, str]) -> str:
    """DBUS_SESSION_BUS_ADDRESS, or the systemd user bus socket when that variable is unset."""
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "")
    if address:
        return address
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime, "bus").exists():
        return f"unix:path={Path(runtime, 'bus')}"
    return ""


def find_a11y_address(env: Mapping[str, str], *, timeout: float = 3.0) -> tuple[str, str]:
    """(address, where it came from); ('', '') when no source knows one."""
    address = env.get("AT_SPI_BUS_ADDRESS", "")
    if address:
        return address, FROM_ENV
    dbus_address = session_bus_address(env)
    if dbus_address:
        try:
            with BusClient(dbus_address, timeout=timeout) as session:
                address = get_a11y_address(session)
        except SandboxError:
            address = ""
        if address:
            return address, FROM_SESSION_BUS
    display = env.get("DISPLAY", "")
    if display:
        address = x_root_a11y_address(display)
        if address:
            return address, FROM_X_ROOT
    return "", ""


def x_root_a11y_address(display: str) -> str:
    """The AT_SPI_BUS property at-spi-bus-launcher puts on the X root window, or ''."""
    try:
        connection = xdisplay.Display(display)
    except (xerror.DisplayError, xerror.ConnectionClosedError, OSError):
        return ""
    try:
        atom = connection.intern_atom("AT_SPI_BUS", only_if_exists=True)
        if not atom:
            return ""
        prop = connection.screen().root.get_full_property(atom, X.AnyPropertyType)
        if prop is None:
            return ""
        value = prop.value
        return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    except (xerror.XError, xerror.ConnectionClosedError, OSError):
        return ""
    finally:
        connection.close()
