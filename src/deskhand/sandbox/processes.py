"""Starting, finding and ending the processes of a virtual desktop.

Every process a desktop starts carries ``DESKHAND_DESKTOP_ID=<id>`` in its environment and the environment
is inherited, so D-Bus-activated services and daemonised grandchildren carry it too: a scan of the process
table for the marker finds them all, whoever their parent is now.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import psutil

from deskhand.errors import SandboxError

MARKER = "DESKHAND_DESKTOP_ID"
# The marker as a command-line switch, for a browser that writes its process title over its environment.
MARKER_SWITCH = "--deskhand-desktop-id"


def marker_args(env: Mapping[str, str]) -> list[str]:
    """The switch that names the desktop ``env`` is on (none off a deskhand desktop): Chromium ignores switches
    it does not know, and its command line outlives the environment it overwrites."""
    desktop_id = env.get(MARKER)
    return [f"{MARKER_SWITCH}={desktop_id}"] if desktop_id else []


# What to install when a binary is missing (Debian/Ubuntu package names).
_PACKAGE_OF = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus-daemon (or dbus)",
    "at-spi-bus-launcher": "at-spi2-core",
    "chromium": "chromium",
}


def find_binary(name: str, *, also_in: Sequence[str] = ()) -> str:
    """The full path of ``name`` (from PATH, or one of ``also_in``); SandboxError with an install hint."""
    found = shutil.which(name)
    if found:
        return found
    for folder in also_in:
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    where = ", ".join(["PATH", *also_in])
    package = _PACKAGE_OF.get(Path(name).name, "the package that provides it")
    raise SandboxError(
        f"Cannot start the virtual desktop: {name!r} was not found (looked in {where}).",
        hint=f"Install {package}, e.g. `sudo apt-get install {package.split()[0]}`.",
    )


def spawn(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    log_path: Path,
    pass_fds: Sequence[int] = (),
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a session of its own (so its whole group can be ended), stderr into ``log_path``."""
    with open(log_path, "ab") as log:
        try:
            return subprocess.Popen(
                list(argv),
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=tuple(pass_fds),
                start_new_session=True,
                cwd=cwd,
            )
        except OSError as error:
            raise SandboxError(
                f"Could not start {' '.join(argv)!r}: {error.strerror or error}.",
                hint="Check that the program exists and is executable.",
            ) from error


def read_line(fd: int, deadline: float) -> str | None:
    """Read one line from a pipe, waiting on the pipe itself; None on EOF (the writer exited) or deadline."""
    data = b""
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 4096)
        if not chunk:
            return data.decode(errors="replace").strip() or None
        data += chunk
    return data.split(b"\n", 1)[0].decode(errors="replace").strip()


def last_line(path: Path) -> str:
    """The last non-empty line of a log file, or ''."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        if line.strip():
            return line.strip()
    return ""


def exit_description(process: subprocess.Popen[bytes], log_path: Path) -> str | None:
    """'exited with code N: <last log line>' once the process has ended, else None."""
    code = process.poll()
    if code is None:
        return None
    tail = last_line(log_path)
    how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
    return f"{how}: {tail}" if tail else how


def marked_processes(desktop_id: str, groups: Iterable[int] = ()) -> list[psutil.Process]:
    """Every process whose environment carries the desktop's marker or that is in one of ``groups``.

    This process and its ancestors are never listed (a shell that ran `eval "$(deskhand desktop up)"`
    does not carry the marker, but be sure).
    """
    spared = _self_and_ancestors()
    wanted_groups = set(groups)
    found: list[psutil.Process] = []
    for process in psutil.process_iter():
        if process.pid in spared:
            continue
        try:
            if os.getpgid(process.pid) in wanted_groups or (desktop_id and _is_marked(process, desktop_id)):
                found.append(process)
        except (psutil.Error, OSError):
            continue  # gone meanwhile, a zombie, or not ours to read
    return found


def _is_marked(process: psutil.Process, desktop_id: str) -> bool:
    environ = process.environ()
    if environ.get(MARKER) == desktop_id:
        return True
    # Chromium writes its process title over its environment: its browser process shows none, marker
    # included. It is known by its profile, which lives in the desktop's temp folder, named after the id, or
    # (started by a run into a desktop it did not make, its profile elsewhere) by the marker's switch.
    folders = (f"deskhand-desktop-{desktop_id}-", f"deskhand-wayland-{desktop_id}-")
    switch = f"{MARKER_SWITCH}={desktop_id}"
    return not environ and any(arg == switch or any(f in arg for f in folders) for arg in process.cmdline())


def end_processes(desktop_id: str, groups: Iterable[int] = (), *, grace: float = 1.0) -> list[int]:
    """End the desktop's process groups and every marked process: SIGTERM, ``grace`` seconds, SIGKILL.

    Returns the pids that were still alive after SIGKILL (normally none).
    """
    targets = marked_processes(desktop_id, groups)
    if not targets:
        return []
    for process in targets:
        _signal(process, signal.SIGTERM)
    alive = wait_gone(targets, grace)
    for process in alive:
        _signal(process, signal.SIGKILL)
    return [process.pid for process in wait_gone(alive, 2.0)]


def end_and_reap(desktop_id: str, processes: Sequence[subprocess.Popen[bytes]], *, grace: float) -> None:
    """End ``processes``' groups (and every process marked with ``desktop_id``, when one is given), then reap
    each process we started, so none is left a zombie: up to 2 s each."""
    end_processes(desktop_id, [process.pid for process in processes], grace=grace)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2.0)


def wait_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every process has exited; those still running at the deadline are returned.

    A zombie counts as gone: it has exited, and its reaping is up to its parent (or init, which in a
    container may take a second or more).
    """
    deadline = time.monotonic() + timeout
    alive = processes
    while True:
        alive = [process for process in alive if _running(process)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.01)


def _running(process: psutil.Process) -> bool:
    try:
        return bool(process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _signal(process: psutil.Process, number: signal.Signals) -> None:
    try:
        process.send_signal(number)
    except psutil.Error:
        pass  # already gone


def _self_and_ancestors() -> set[int]:
    spared = {os.getpid()}
    try:
        spared.update(parent.pid for parent in psutil.Process().parents())
    except psutil.Error:
        pass
    return spared
