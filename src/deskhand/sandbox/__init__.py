"""deskhand.sandbox: private virtual desktops (Xvfb + session D-Bus + AT-SPI bus) and apps on them.

VirtualDesktop     a disposable desktop; launch apps, take screenshots, list registered apps
LaunchedApp        an app started on it (pid, argv, bus name, app name)
current_desktop()  the desktop this process's environment points at, as a DesktopInfo
"""

from __future__ import annotations

from deskhand.sandbox.current import DesktopInfo, current_desktop
from deskhand.sandbox.desktop import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp, RegisteredApp

__all__ = ["DesktopInfo", "LaunchedApp", "RegisteredApp", "VirtualDesktop", "current_desktop"]
