"""`deskhand doctor`: is this environment one where apps can be seen and operated over AT-SPI?

Each check says what it found and, when it fails, how to fix it. The checks read an environment mapping
(default: this process's), so they describe what an app started from here would see.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from Xlib import display as xdisplay
from Xlib import error as xerror

from deskhand.errors import SandboxError
from deskhand.sandbox import a11y_bus
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.at_spi import LAUNCHER_FOLDERS
from deskhand.sandbox.chromium import CHROMIUM
from deskhand.sandbox.current import find_a11y_address, session_bus_address
from deskhand.sandbox.processes import find_binary
from deskhand.sandbox.wayland_input import facilities, is_wayland

UP_HINT = 'or work on a virtual desktop: eval "$(deskhand desktop up)"'


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # passes, with something worth knowing


def run_checks(env: Mapping[str, str] | None = None, *, timeout: float = 3.0) -> list[Check]:
    env = os.environ if env is None else env
    checks = _wayland(env) if is_wayland(env) else [_display(env)]
    checks += _buses(env, timeout)
    enabled = any(check.name == "a11y_enabled" and check.ok for check in checks)
    checks += [_no_at_bridge(env), _qt(env, a11y_enabled=enabled), _gtk_a11y(env), _gtk_modules(env)]
    checks += [_binary(name, folders) for name, folders in _BINARIES]
    return checks


def all_ok(checks: list[Check]) -> bool:
    return all(check.ok for check in checks)


def _wayland(env: Mapping[str, str]) -> list[Check]:
    """On Wayland: what works (AT-SPI reading and actions), and whether keys and a pointer can be given."""
    found = facilities(env)
    socket = env.get("WAYLAND_DISPLAY", "")
    gives_input = bool(found.keyboard and found.pointer)
    works = "AT-SPI actions, keys and a pointer" if gives_input else "AT-SPI actions only"
    session = Check(
        "session",
        True,
        f"Wayland (WAYLAND_DISPLAY={socket}, compositor {found.compositor or 'unknown'}): apps are read over AT-SPI "
        f"and operated through {works}; extents are relative to each window; no screenshots",
    )
    if gives_input:
        return [session, Check("input", True, f"keys and pointer: {found.keyboard}, {found.pointer}")]
    return [
        session,
        Check(
            "input",
            False,
            f"no keyboard or pointer input for deskhand: {found.input_note}",
            "Steps that press keys, right-click or type into web pages fail here; run them on X "
            f"({UP_HINT.removeprefix('or ')}) or under sway.",
        ),
    ]


def _display(env: Mapping[str, str]) -> Check:
    name = env.get("DISPLAY", "")
    if not name:
        return Check("display", False, "DISPLAY is not set", f"Set DISPLAY to a running X server, {UP_HINT}.")
    try:
        xdisplay.Display(name).close()
    except (xerror.DisplayError, xerror.ConnectionClosedError, OSError) as error:
        return Check("display", False, f"no X server answers on DISPLAY={name} ({error})", f"Start it, {UP_HINT}.")
    return Check("display", True, f"X11 session, X server on {name}: reading, actions, keys, pointer, screenshots")


def _buses(env: Mapping[str, str], timeout: float) -> list[Check]:
    """session_bus, a11y_bus_address, a11y_bus, registry, a11y_enabled: each needs the one before."""
    address = session_bus_address(env)
    if not address:
        session = Check(
            "session_bus",
            False,
            "DBUS_SESSION_BUS_ADDRESS is not set",
            f"Run inside a D-Bus session, {UP_HINT}.",
        )
        return [
            session,
            *_skipped(["a11y_bus_address", "a11y_bus", "registry", "a11y_enabled"], "session_bus"),
        ]
    try:
        with BusClient(address, timeout=timeout) as session_client:
            session_client.call(a11y_bus.DBUS_NAME, a11y_bus.DBUS_PATH, a11y_bus.DBUS_NAME, "GetId")
            enabled = _enabled(session_client)
    except SandboxError as error:
        session = Check("session_bus", False, error.message, f"Check the session bus at {address}, {UP_HINT}.")
        return [
            session,
            *_skipped(["a11y_bus_address", "a11y_bus", "registry", "a11y_enabled"], "session_bus"),
        ]
    checks = [Check("session_bus", True, f"session bus at {address}")]
    a11y_address, source = find_a11y_address(env, timeout=timeout)
    if not a11y_address:
        checks.append(
            Check(
                "a11y_bus_address",
                False,
                "no AT-SPI bus: AT_SPI_BUS_ADDRESS is unset, org.a11y.Bus is not on the session bus "
                "and the X root window has no AT_SPI_BUS property",
                "Start the accessibility bus on this session: `/usr/libexec/at-spi-bus-launcher "
                f"--launch-immediately &` (package at-spi2-core), {UP_HINT}.",
            )
        )
        return [*checks, *_skipped(["a11y_bus", "registry"], "a11y_bus_address"), enabled]
    checks.append(Check("a11y_bus_address", True, f"{a11y_address} (from {source})"))
    checks += _registry(a11y_address, timeout)
    return [*checks, enabled]


def _registry(address: str, timeout: float) -> list[Check]:
    try:
        with BusClient(address, timeout=timeout) as a11y:
            bus = Check("a11y_bus", True, "the AT-SPI bus accepts connections")
            try:
                apps = a11y_bus.registry_children(a11y)
            except SandboxError as error:
                return [
                    bus,
                    Check(
                        "registry",
                        False,
                        error.message,
                        "at-spi2-registryd did not answer: install at-spi2-core, or restart the a11y bus.",
                    ),
                ]
    except SandboxError as error:
        return [
            Check(
                "a11y_bus",
                False,
                error.message,
                "The AT-SPI bus address is stale: restart at-spi-bus-launcher.",
            ),
            *_skipped(["registry"], "a11y_bus"),
        ]
    return [bus, Check("registry", True, f"the registry answers; {len(apps)} app(s) registered")]


def _enabled(session: BusClient) -> Check:
    try:
        on = a11y_bus.is_a11y_enabled(session)
    except SandboxError as error:
        return Check("a11y_enabled", False, error.message, "Start at-spi-bus-launcher on this session bus.")
    if on:
        return Check("a11y_enabled", True, "org.a11y.Status.IsEnabled is true")
    return Check(
        "a11y_enabled",
        False,
        "org.a11y.Status.IsEnabled is false: Qt apps will not register",
        "Run `busctl --user set-property org.a11y.Bus /org/a11y/bus org.a11y.Status IsEnabled b true` or "
        "`gsettings set org.gnome.desktop.interface toolkit-accessibility true`.",
    )


def _no_at_bridge(env: Mapping[str, str]) -> Check:
    if "NO_AT_BRIDGE" in env:
        return Check(
            "no_at_bridge",
            False,
            f"NO_AT_BRIDGE={env['NO_AT_BRIDGE']} keeps GTK apps off the accessibility bus",
            "Run `unset NO_AT_BRIDGE` (and remove it from your shell profile).",
        )
    return Check("no_at_bridge", True, "NO_AT_BRIDGE is not set")


def _qt(env: Mapping[str, str], *, a11y_enabled: bool) -> Check:
    value = env.get("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", "")
    if value and value != "0":
        return Check("qt_accessibility", True, f"QT_LINUX_ACCESSIBILITY_ALWAYS_ON={value}")
    if a11y_enabled:
        # Qt's bridge registers when org.a11y.Status.IsEnabled is true at its start; the variable only
        # matters on a desktop that turns IsEnabled off again (logging out of a screen reader).
        return Check(
            "qt_accessibility",
            True,
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON is not set; Qt apps register anyway, because "
            "org.a11y.Status.IsEnabled is true. Set it if something may turn IsEnabled off.",
            "Run `export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1` to keep Qt apps visible whatever IsEnabled says.",
            warning=True,
        )
    return Check(
        "qt_accessibility",
        False,
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON is not set: Qt apps register only when a screen reader is on",
        "Run `export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1` before starting Qt apps.",
    )


def _gtk_a11y(env: Mapping[str, str]) -> Check:
    value = env.get("GTK_A11Y", "")
    if value.lower() in ("none", "test"):
        return Check("gtk_a11y", False, f"GTK_A11Y={value} switches GTK 4 accessibility off", "Run `unset GTK_A11Y`.")
    return Check("gtk_a11y", True, f"GTK_A11Y={value}" if value else "GTK_A11Y is not set")


def _gtk_modules(env: Mapping[str, str]) -> Check:
    value = env.get("GTK_MODULES", "")
    modules = [module for module in value.replace(",", ":").split(":") if module]
    missing = [module for module in modules if not _gtk_module_installed(module)]
    if missing:
        return Check(
            "gtk_modules",
            False,
            f"GTK_MODULES names modules that are not installed: {', '.join(missing)}",
            "Remove them from GTK_MODULES (GTK 3 has the accessibility bridge built in; 'gail' and "
            "'atk-bridge' are not needed there).",
        )
    return Check("gtk_modules", True, f"GTK_MODULES={value}" if value else "GTK_MODULES is not set")


def _gtk_module_installed(module: str) -> bool:
    patterns = (
        f"usr/lib*/*/gtk-[234].0/modules/lib{module}.so",
        f"usr/lib*/gtk-[234].0/modules/lib{module}.so",
    )
    return any(next(Path("/").glob(pattern), None) for pattern in patterns)


_BINARIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Xvfb", ()),
    ("dbus-daemon", ()),
    ("at-spi-bus-launcher", LAUNCHER_FOLDERS),
    (CHROMIUM, ()),
)


def _binary(name: str, folders: tuple[str, ...]) -> Check:
    label = f"binary:{Path(name).name}"
    try:
        path = find_binary(name, also_in=folders)
    except SandboxError as error:
        return Check(label, False, error.message.split(": ", 1)[-1], error.hint)
    return Check(label, True, path)


def _skipped(names: list[str], because: str) -> list[Check]:
    return [Check(name, False, f"not checked: {because} failed", f"Fix {because} first.") for name in names]
