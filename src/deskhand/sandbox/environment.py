"""The environment of a virtual desktop's processes: display, buses, folders."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from deskhand.sandbox.processes import MARKER

# Variables that would send apps elsewhere or switch accessibility off.
_DROPPED = (
    "NO_AT_BRIDGE",
    "GTK_A11Y",
    "WAYLAND_DISPLAY",
    "XAUTHORITY",
    "SESSION_MANAGER",
    "DBUS_SESSION_BUS_PID",
    "AT_SPI_BUS_ADDRESS",
    "DESKHAND_DESKTOP",
    "LC_ALL",
    "LANGUAGE",
)


def private_dirs(temp_dir: Path) -> dict[str, Path]:
    """Create HOME, the XDG folders and a log folder under ``temp_dir``, so no app finds an old session."""
    home = temp_dir / "home"
    dirs = {
        "home": home,
        "runtime": temp_dir / "runtime",
        "config": home / ".config",
        "data": home / ".local" / "share",
        "cache": home / ".cache",
        "logs": temp_dir / "logs",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    dirs["runtime"].chmod(0o700)  # XDG_RUNTIME_DIR must be private, or some apps refuse it
    return dirs


def app_environment(
    base: Mapping[str, str],
    *,
    desktop_id: str,
    dirs: Mapping[str, Path],
    name: str | None = None,
    display: str = "",
    dbus_address: str = "",
    a11y_address: str = "",
) -> dict[str, str]:
    """``base`` adjusted so that apps run on the desktop, accessibly, in C.UTF-8, in private folders."""
    env = {
        key: value for key, value in base.items() if key not in _DROPPED and not key.startswith("LC_") and key != MARKER
    }
    env.update(
        {
            MARKER: desktop_id,
            "HOME": str(dirs["home"]),
            "XDG_RUNTIME_DIR": str(dirs["runtime"]),
            "XDG_CONFIG_HOME": str(dirs["config"]),
            "XDG_DATA_HOME": str(dirs["data"]),
            "XDG_CACHE_HOME": str(dirs["cache"]),
            "XDG_SESSION_TYPE": "x11",
            "GDK_BACKEND": "x11",
            "QT_QPA_PLATFORM": "xcb",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "LANG": "C.UTF-8",
        }
    )
    for key, value in (
        ("DISPLAY", display),
        ("DBUS_SESSION_BUS_ADDRESS", dbus_address),
        ("AT_SPI_BUS_ADDRESS", a11y_address),
        ("DESKHAND_DESKTOP", name or ""),
    ):
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    return env
