"""Which process owns a run, and whether it is still alive (so orphaned runs can be marked interrupted)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import psutil


def this_host() -> str:
    """The name this machine goes by in a run store: ``$DESKHAND_MACHINE`` if set (machines whose hostnames
    clash, such as containers made from one image), else its hostname. Runs of this host are judged by pid."""
    return os.environ.get("DESKHAND_MACHINE", "").strip() or socket.gethostname()


def process_started(pid: int) -> float | None:
    """When process ``pid`` started, or None if it is gone (or a zombie waiting to be reaped)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return float(process.create_time())
    except psutil.NoSuchProcess:
        return None


@dataclass(frozen=True, slots=True)
class Owner:
    """A process told apart by pid *and* start time, since pids are reused."""

    pid: int
    started: float

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        return cls(pid, process_started(pid) or 0.0)

    def alive(self) -> bool:
        try:
            actual = process_started(self.pid)
        except psutil.AccessDenied:
            return True
        return actual is not None and abs(actual - self.started) < 1.0
