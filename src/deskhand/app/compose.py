"""Composition: the one place that picks concrete classes (which backend, which desktop)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.backend import ScreenBackend
from deskhand.errors import BackendUnavailable, SandboxError
from deskhand.locate.desktop import Desktop
from deskhand.runs.home import deskhand_home
from deskhand.sandbox.current import DesktopInfo, current_desktop
from deskhand.sandbox.desktop import VirtualDesktop
from deskhand.sandbox.registry import is_alive, read_state
from deskhand.sandbox.starters import AppStarter, NamedDesktop, UserDesktop
from deskhand.sandbox.wayland_input import facilities, is_wayland

DesktopChoice = Literal["auto", "current", "virtual"]
# How long our own desktop's apps get to go quiet before they are ended, and what counts as quiet.
SETTLE_BEFORE_TEARDOWN_S = 5.0
QUIET_BEFORE_TEARDOWN_S = 1.0


@dataclass
class DesktopSession:
    """A desktop to work on: the locator root, where apps are started, and the virtual desktop we
    started for this session (if any)."""

    desktop: Desktop
    virtual: VirtualDesktop | None
    env: Mapping[str, str]
    starter: AppStarter | None = None

    def __post_init__(self) -> None:
        if self.starter is None and self.virtual is not None:
            self.starter = self.virtual

    def close(self) -> None:
        if self.virtual is not None:
            self._let_apps_finish()
        self.desktop.close()
        if self.virtual is not None:
            self.virtual.stop()

    def _let_apps_finish(self) -> None:
        """Before the apps of our own desktop are ended: wait until they have gone quiet, so what the last
        step set off (Gecko's actions are asynchronous: a form it was told to submit is sent a moment later)
        is not killed on its way out. Quiet = no accessibility event for a second; at most five."""
        deadline = time.monotonic() + SETTLE_BEFORE_TEARDOWN_S
        with contextlib.suppress(Exception):  # a stopped run or a gone bus: nothing left to wait for
            while time.monotonic() < deadline:
                if not self.desktop.backend.wait_for_change(min(QUIET_BEFORE_TEARDOWN_S, deadline - time.monotonic())):
                    return

    def __enter__(self) -> DesktopSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def has_current_desktop(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("DISPLAY")) and bool(env.get("AT_SPI_BUS_ADDRESS") or env.get("DBUS_SESSION_BUS_ADDRESS"))


def _current_info(env: Mapping[str, str] | None) -> DesktopInfo:
    env = os.environ if env is None else env
    info = current_desktop(env)
    wayland = is_wayland(env)
    if info is None or not info.a11y_address:
        if wayland:
            raise BackendUnavailable(
                "This Wayland session has no accessibility (AT-SPI) bus: start it with "
                "`/usr/libexec/at-spi-bus-launcher --launch-immediately &` (package at-spi2-core).",
                hint="Then start the apps again, so they register on it; `deskhand doctor` shows what works.",
            )
        raise BackendUnavailable(
            "No desktop with an accessibility bus is set in this shell.",
            hint='Start one with `eval "$(deskhand desktop up)"`, or run `deskhand doctor` to see what is missing.',
        )
    return info


def connect_current(env: Mapping[str, str] | None = None, *, timeout: float = 5.0) -> Desktop:
    """A Desktop over the display and accessibility bus named by the environment."""
    env = os.environ if env is None else env
    info = _current_info(env)
    wayland = is_wayland(env)
    note = facilities(env).input_note if wayland else ""
    # On Wayland the session's environment says which compositor may give keys and a pointer (sway).
    inner = CompositeBackend(
        info.a11y_address, display=info.display, input_note=note, wayland_env=env if wayland else None
    )
    return Desktop(ScreenBackend(inner, display=info.display), timeout=timeout)


def current_starter(env: Mapping[str, str] | None = None) -> AppStarter:
    """Where apps start on the current desktop: the `deskhand desktop up` desktop the shell points at
    (DESKHAND_DESKTOP, same display), else the person's own desktop."""
    env = os.environ if env is None else env
    info = _current_info(env)
    name = env.get("DESKHAND_DESKTOP", "")
    try:
        state = read_state(name) if name else None
    except SandboxError:
        state = None
    if state is not None and is_alive(state) and state.display == info.display:
        return NamedDesktop(state)
    return UserDesktop(env, info.a11y_address, deskhand_home())


def open_desktop(choice: DesktopChoice = "auto", *, timeout: float = 5.0) -> DesktopSession:
    """The current desktop when one is set (or asked for), else a fresh virtual desktop of our own."""
    if choice == "current" or (choice == "auto" and has_current_desktop()):
        env = dict(os.environ)
        return DesktopSession(connect_current(env, timeout=timeout), None, env, current_starter(env))
    virtual = VirtualDesktop().start()
    try:
        inner = CompositeBackend(virtual.a11y_address, display=virtual.display)
        backend = ScreenBackend(inner, display=virtual.display)
    except BaseException:
        virtual.stop()
        raise
    return DesktopSession(Desktop(backend, timeout=timeout), virtual, virtual.env)
