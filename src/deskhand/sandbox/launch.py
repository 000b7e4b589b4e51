"""Starting an app on a desktop and waiting until it shows a window on the accessibility bus."""

from __future__ import annotations

import contextlib
import secrets
import shlex
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from deskhand.errors import SandboxError
from deskhand.sandbox import a11y_bus
from deskhand.sandbox.a11y_bus import BusClient
from deskhand.sandbox.processes import end_and_reap, exit_description, spawn

# Each launch carries its own marker too, so an app whose launcher script exits after forking is still found.
LAUNCH_MARKER = "DESKHAND_LAUNCH_ID"

_POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class LaunchedApp:
    """An app started on a desktop. ``bus_name`` and ``name`` are '' when it was started with wait=False."""

    pid: int
    argv: tuple[str, ...]
    bus_name: str
    name: str
    log_path: Path

    @property
    def command(self) -> str:
        return shlex.join(self.argv)


class RegisteredApp(tuple[str, str, int]):
    """(bus_name, name, pid) of one application on the a11y bus."""

    __slots__ = ()

    def __new__(cls, bus_name: str, name: str, pid: int) -> RegisteredApp:
        return super().__new__(cls, (bus_name, name, pid))

    @property
    def bus_name(self) -> str:
        return self[0]

    @property
    def name(self) -> str:
        return self[1]

    @property
    def pid(self) -> int:
        return self[2]


@dataclass(frozen=True, slots=True)
class AppProcess:
    """A started app before (or without) waiting for it: its process, log and launch marker."""

    process: subprocess.Popen[bytes]
    argv: tuple[str, ...]
    log_path: Path
    launch_id: str


def start_app(argv: Sequence[str], env: Mapping[str, str], *, log_dir: Path) -> AppProcess:
    """Start ``argv`` in its own session (its whole group can be ended) with output into a log file."""
    if not argv:
        raise SandboxError("Nothing to launch: the command is empty.", hint="Pass the program and its arguments.")
    launch_id = secrets.token_hex(6)
    log_path = log_dir / f"{Path(argv[0]).name}-{launch_id}.log"
    process = spawn(argv, {**env, LAUNCH_MARKER: launch_id}, log_path=log_path)
    return AppProcess(process, tuple(argv), log_path, launch_id)


def launched(app: AppProcess, bus_name: str = "", name: str = "") -> LaunchedApp:
    """What a caller gets back for ``app``: its bus name and name once it showed a window, else ''."""
    return LaunchedApp(app.process.pid, app.argv, bus_name, name, app.log_path)


@contextlib.contextmanager
def ended_on_failure(app: AppProcess) -> Iterator[None]:
    """End ``app`` with its whole group when waiting for it fails: an app that never came up is not left."""
    try:
        yield
    except SandboxError:
        end_and_reap("", [app.process], grace=0.5)
        raise


def wait_launched(a11y_address: str, app: AppProcess, *, timeout: float, wait: bool) -> LaunchedApp:
    """``app`` on the desktop whose accessibility bus is at ``a11y_address``; with ``wait``, once it shows a
    window there (ended if it does not)."""
    if not wait:
        return launched(app)
    with ended_on_failure(app), BusClient(a11y_address) as a11y:
        return launched(app, *wait_for_window(a11y, app, timeout=timeout))


def wait_for_window(a11y: BusClient, app: AppProcess, *, timeout: float) -> tuple[str, str]:
    """Poll the registry until an app of ``process``'s tree is registered with a window: (bus name, name).

    A bus name is matched to the app through its connection's pid: the launched process, one of its
    descendants (Chromium's wrapper script forks the real browser), or a process with the launch's marker.
    """
    process, log_path, launch_id = app.process, app.log_path, app.launch_id
    command = shlex.join(app.argv)
    deadline = time.monotonic() + timeout
    owners: dict[str, int] = {}
    seen = "nothing of it registered on the accessibility bus"
    while True:
        family = _family(process.pid)
        try:
            children = a11y_bus.registry_children(a11y)
        except SandboxError as error:
            children = []
            seen = f"the accessibility registry did not answer ({error.message})"
        for bus_name, path in children:
            found = _match(a11y, bus_name, path, owners, family, launch_id)
            if found is None:
                continue
            app_name, windows = found
            if windows > 0:
                return bus_name, app_name
            seen = f"it registered as {app_name!r} ({bus_name}) but has no window yet"
        ended = exit_description(process, log_path)
        if ended is not None and (process.returncode != 0 or not _marked_alive(launch_id)):
            hint = "Run it by hand to see why; its output is in " + str(log_path) + "."
            if process.returncode == 0:
                hint = "A single-instance app may have handed over to a copy already running. " + hint
            raise SandboxError(f"{command!r} {ended} before it registered a window.", hint=hint)
        if time.monotonic() >= deadline:
            raise SandboxError(
                f"{command!r} registered no window on the accessibility bus within {timeout:g} s: {seen}.",
                hint="Check that the app is accessible (GTK, Qt with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1, "
                f"Chromium with --force-renderer-accessibility); its output is in {log_path}.",
            )
        time.sleep(min(_POLL_SECONDS, max(deadline - time.monotonic(), 0.0)))


def registered_apps(a11y: BusClient) -> list[RegisteredApp]:
    """Every application on the a11y bus (apps that vanish mid-listing are left out)."""
    apps: list[RegisteredApp] = []
    for bus_name, path in a11y_bus.registry_children(a11y):
        try:
            pid = a11y.connection_pid(bus_name)
            name = a11y_bus.accessible_name(a11y, bus_name, path)
        except SandboxError:
            continue
        apps.append(RegisteredApp(bus_name, name, pid))
    return apps


def _match(
    a11y: BusClient,
    bus_name: str,
    path: str,
    owners: dict[str, int],
    family: set[int],
    launch_id: str,
) -> tuple[str, int] | None:
    """(app name, window count) when ``bus_name`` belongs to the launched app, else None."""
    try:
        if bus_name not in owners:
            owners[bus_name] = a11y.connection_pid(bus_name)
        pid = owners[bus_name]
        if pid not in family and not _carries(pid, launch_id):
            return None
        return a11y_bus.accessible_name(a11y, bus_name, path), a11y_bus.child_count(a11y, bus_name, path)
    except SandboxError:
        return None  # it left the bus between two calls


def _family(pid: int) -> set[int]:
    try:
        return {pid, *(child.pid for child in psutil.Process(pid).children(recursive=True))}
    except psutil.Error:
        return {pid}


def _carries(pid: int, launch_id: str) -> bool:
    if not launch_id:
        return False
    try:
        return bool(psutil.Process(pid).environ().get(LAUNCH_MARKER) == launch_id)
    except psutil.Error:
        return False


def _marked_alive(launch_id: str) -> bool:
    if not launch_id:
        return False
    return any(_carries(process.pid, launch_id) for process in psutil.process_iter())
